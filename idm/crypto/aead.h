// AES-256-GCM (NIST SP 800-38D) authenticated encryption through OpenSSL 3's EVP_CIPHER API.
// A sealed value is nonce (12 bytes) || ciphertext || tag (16 bytes); the nonce is random
// (SP 800-38D §8.2.2), so one key must not seal more than 2^32 messages — kek.h avoids the limit by
// deriving a fresh subkey per message. Most code should use Kek rather than these primitives.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "idm/core/random.h"
#include "idm/crypto/error.h"

namespace idm::crypto {

inline constexpr size_t kAesGcmKeyBytes = 32;
inline constexpr size_t kAesGcmNonceBytes = 12;
inline constexpr size_t kAesGcmTagBytes = 16;

// Encrypts plaintext and authenticates it with aad under key, with a fresh random nonce.
// Returns nonce || ciphertext || tag. Fails with kInvalidKey if key is not 32 bytes.
Result<std::string> AesGcmSeal(std::string_view key, std::string_view plaintext,
                               std::string_view aad, core::Random& random);

// As AesGcmSeal with a caller-chosen nonce, for deterministic constructions whose key is never
// used with another nonce/plaintext pair, and for test vectors. Reusing a nonce under one key for
// two different plaintexts breaks GCM. Fails with kInvalidKey (key not 32 bytes) or kMalformed
// (nonce not 12 bytes).
Result<std::string> AesGcmSealWithNonce(std::string_view key, std::string_view nonce,
                                        std::string_view plaintext, std::string_view aad);

// Verifies and decrypts nonce || ciphertext || tag. Fails with kInvalidKey if key is not 32 bytes,
// kMalformed if sealed is shorter than nonce + tag, and kDecryptFailed if the tag does not verify
// (tampered data, wrong key or wrong aad); no plaintext is released in that case.
Result<std::string> AesGcmOpen(std::string_view key, std::string_view sealed, std::string_view aad);

}  // namespace idm::crypto
