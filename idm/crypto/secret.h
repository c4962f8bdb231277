// Server-generated secrets (client secrets, refresh tokens, codes, session ids, initial access
// tokens): high-entropy random values with a recognisable prefix (CONVENTIONS.md §7), stored only
// as SHA-256, and checked in constant time. Never Argon2: with 256 bits of entropy a preimage
// search is hopeless, so a fast unkeyed hash is both safe and cheap, and the stored hashes stay
// valid when a realm is exported to an installation with another KEK (ARCHITECTURE.md decision 4).
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
inline constexpr std::string_view kRegistrationAccessTokenPrefix = "idm_rat_";  // RFC 7592 §1

// A new secret with the given prefix.
std::string NewSecret(core::Random& random, std::string_view prefix);

// "sha256:" + hex of SHA-256(secret).
std::string HashSecret(std::string_view secret);
// Constant-time comparison of HashSecret(secret) with stored; false for a malformed stored value.
bool VerifySecret(std::string_view secret, std::string_view stored);

}  // namespace idm::crypto
