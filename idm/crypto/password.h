// Password hashing with Argon2id (RFC 9106) through libargon2, stored as PHC strings
// ("$argon2id$v=19$m=...,t=...,p=...$salt$hash") so parameters can change without invalidating
// stored hashes. ARCHITECTURE.md decision 4.
//
// Thread-safety: PasswordHasher is immutable after construction and safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "idm/core/random.h"
#include "idm/core/result.h"
#include "idm/crypto/error.h"

namespace idm::crypto {

struct Argon2Params {
  uint32_t memory_kib = 19456;  // OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1
  uint32_t iterations = 2;
  uint32_t parallelism = 1;
  uint32_t salt_bytes = 16;  // RFC 9106 §3.1 recommends 128-bit salts
  uint32_t hash_bytes = 32;
};

// Ok if libargon2 accepts params (RFC 9106 §3.1: p in 1..2^24-1, m >= 8p KiB, t >= 1, salt >= 8
// bytes, tag >= 4 bytes) and they stay within the limits idm verifies (m <= 1 GiB, t <= 64,
// p <= 64). Fails with kMalformed naming the parameter. Configuration calls it at start.
Status ValidateArgon2Params(const Argon2Params& params);

// The raw Argon2id tag (RFC 9106 §3.1) of password with salt, optional secret K and associated
// data X, under params (salt_bytes is ignored: salt is given). PasswordHasher builds on the same
// library; this exists for the RFC 9106 §5.3 test vector and future peppering. Fails with
// kMalformed for parameters libargon2 refuses.
Result<std::string> Argon2idRaw(const Argon2Params& params, std::string_view password,
                                std::string_view salt, std::string_view secret = {},
                                std::string_view associated_data = {});

class PasswordHasher {
 public:
  // params must pass ValidateArgon2Params; otherwise Hash throws std::invalid_argument.
  PasswordHasher(Argon2Params params, core::Random& random) : params_(params), random_(random) {}
  // The PHC string of password under the configured parameters, with a fresh random salt.
  std::string Hash(std::string_view password) const;
  // True if password matches phc. False for a wrong password, for a malformed phc string, for
  // another algorithm than argon2id v=19, and for parameters beyond ValidateArgon2Params's limits
  // (so a planted hash cannot make the server allocate gigabytes). Constant time in the password
  // (the tags are compared with CRYPTO_memcmp).
  bool Verify(std::string_view password, std::string_view phc) const;
  // True if phc was made with other parameters than the configured ones, or is not a well-formed
  // argon2id v=19 PHC string (re-hash on next successful login).
  bool NeedsRehash(std::string_view phc) const;
  // A well-formed PHC string under the configured parameters whose salt and tag are random bytes:
  // no password verifies against it (short of guessing a 256-bit tag), yet Verify spends exactly
  // the time of a real verification. Used for unknown users so timing reveals nothing; costs no
  // Argon2 computation to make (start-up stays fast).
  std::string DecoyHash() const;
  const Argon2Params& params() const { return params_; }

 private:
  Argon2Params params_;
  core::Random& random_;
};

}  // namespace idm::crypto
