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

namespace idm::crypto {

struct Argon2Params {
  uint32_t memory_kib = 19456;   // OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1
  uint32_t iterations = 2;
  uint32_t parallelism = 1;
  uint32_t salt_bytes = 16;      // RFC 9106 §3.1 recommends 128-bit salts
  uint32_t hash_bytes = 32;
};

class PasswordHasher {
 public:
  PasswordHasher(Argon2Params params, core::Random& random) : params_(params), random_(random) {}
  // The PHC string of password under the configured parameters.
  std::string Hash(std::string_view password) const;
  // True if password matches phc. False for a wrong password and for a malformed phc string.
  bool Verify(std::string_view password, std::string_view phc) const;
  // True if phc was made with other parameters than the configured ones (re-hash on next login).
  bool NeedsRehash(std::string_view phc) const;
  const Argon2Params& params() const { return params_; }

 private:
  Argon2Params params_;
  core::Random& random_;
};

}  // namespace idm::crypto
