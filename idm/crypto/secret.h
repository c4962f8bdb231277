// Server-generated secrets (client secrets, refresh tokens, codes, session ids, initial access
// tokens): high-entropy random values with a recognisable prefix (CONVENTIONS.md §7), stored only
// as HMAC-SHA-256 under a server key, and checked in constant time. Never Argon2: they have 256
// bits of entropy, so a fast keyed hash is both safe and cheap (ARCHITECTURE.md decision 4).
//
// Thread-safety: SecretHasher is immutable and safe to share.
#pragma once

#include <string>
#include <string_view>

#include "idm/core/random.h"

namespace idm::crypto {

// Known prefixes. A secret reads "<prefix><43 base64url chars of 32 random bytes>".
inline constexpr std::string_view kClientSecretPrefix = "idm_cs_";
inline constexpr std::string_view kRefreshTokenPrefix = "idm_rt_";
inline constexpr std::string_view kAuthCodePrefix = "idm_ac_";
inline constexpr std::string_view kSessionPrefix = "idm_ss_";
inline constexpr std::string_view kInitialAccessTokenPrefix = "idm_iat_";

// A new secret with the given prefix.
std::string NewSecret(core::Random& random, std::string_view prefix);

class SecretHasher {
 public:
  // key: the server's secret-hashing key (derived from the KEK; see keyring.h).
  explicit SecretHasher(std::string key) : key_(std::move(key)) {}
  // "hmac-sha256:" + hex of HMAC-SHA-256(key, secret).
  std::string Hash(std::string_view secret) const;
  // Constant-time comparison of Hash(secret) with stored.
  bool Verify(std::string_view secret, std::string_view stored) const;

 private:
  std::string key_;
};

}  // namespace idm::crypto
