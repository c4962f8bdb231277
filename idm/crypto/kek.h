// Kek: the installation's key-encryption key, which protects secrets at rest that idm must be able
// to read back (signing keys, TOTP seeds, upstream client secrets; ARCHITECTURE.md decision 4).
// It is 32 random bytes given to the server as text (base64, base64url or hex) in a file or an
// environment variable; docs/design/003-crypto-and-keys.md describes the scheme.
//
// Seal(plaintext, aad) = 0x01 || salt(16) || nonce(12) || AES-256-GCM ciphertext || tag(16), with
// the AES key HKDF-SHA-256(KEK, salt, "idm/kek/v1/seal") fresh for each message. The aad binds a
// sealed value to where it belongs (e.g. "realm:<id>/signing-key:<kid>") so a value copied to
// another row fails to open.
//
// The "KEK check" is a deterministic value stored once per database: on start the server compares
// it with its KEK and refuses to run (before writing anything) if they differ.
//
// Thread-safety: immutable after construction; safe to share. The key bytes are wiped on
// destruction.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "idm/core/random.h"
#include "idm/crypto/error.h"

namespace idm::crypto {

class Kek {
 public:
  static constexpr size_t kBytes = 32;

  // A new random KEK (for `idm kek generate` and tests).
  static Kek Generate(core::Random& random);
  // Parses 32 bytes written as 64 hex digits, or as base64 / base64url (padding optional);
  // surrounding whitespace is ignored. Fails with kInvalidKey naming the problem (empty, not
  // hex/base64, decodes to N bytes instead of 32) but never echoing the text.
  static Result<Kek> FromText(std::string_view text);
  // Reads a file holding the text form. Fails with kInvalidKey if it cannot be read or parsed.
  static Result<Kek> FromFile(const std::string& path);

  Kek(const Kek& other) = default;
  Kek& operator=(const Kek& other) = default;
  ~Kek();

  // The key as standard padded base64 (44 characters). Secret: never log it.
  std::string ToText() const;

  // Encrypts and authenticates plaintext bound to aad (format above). Never fails.
  std::string Seal(std::string_view plaintext, std::string_view aad, core::Random& random) const;
  // Opens a value made by Seal with the same KEK and aad. Fails with kMalformed (too short,
  // unknown version byte) or kDecryptFailed (wrong KEK, wrong aad, or tampered).
  Result<std::string> Open(std::string_view sealed, std::string_view aad) const;

  // "kekcheck.v1." + base64url of a fixed label sealed under a subkey reserved for the check.
  // Deterministic: the same KEK always gives the same value, another KEK a different one, and the
  // value reveals nothing about the KEK.
  std::string MakeCheck() const;
  // True if check was made by MakeCheck with this KEK. Constant time.
  bool MatchesCheck(const std::string& check) const;

  // A 32-byte secret for another purpose (CSRF tokens, pairwise subjects, ...) derived with
  // HKDF-SHA256 (RFC 5869) from the KEK with `info` naming the purpose, e.g. "idm-csrf-v1".
  // Deterministic, so every node with the same KEK derives the same secret; different infos give
  // independent secrets, and none reveals the KEK or the sealing subkeys. Secret: never log it.
  std::string DeriveSecret(std::string_view info) const;

 private:
  explicit Kek(std::string_view bytes);
  std::array<uint8_t, kBytes> key_{};
};

}  // namespace idm::crypto
