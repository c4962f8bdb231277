// HKDF with HMAC-SHA-256 (RFC 5869) through OpenSSL 3's EVP_KDF. idm uses it to derive purpose-
// and message-specific subkeys from the key-encryption key (kek.h), so that the KEK itself never
// keys AES-GCM directly.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "idm/crypto/error.h"

namespace idm::crypto {

// RFC 5869 §2.2: PRK = HMAC-SHA-256(salt, IKM). An empty salt means HashLen zero bytes.
std::string HkdfExtract(std::string_view salt, std::string_view ikm);

// RFC 5869 §2.3: OKM of `length` bytes from a pseudorandom key. Fails with kInvalidKey if prk is
// shorter than 32 bytes, and with kMalformed if length is 0 or above 255 * 32 (§2.3 "L <=
// 255*HashLen").
Result<std::string> HkdfExpand(std::string_view prk, std::string_view info, size_t length);

// Extract-then-expand (RFC 5869 §2). Fails with kMalformed if length is 0 or above 255 * 32.
Result<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                               size_t length);

}  // namespace idm::crypto
