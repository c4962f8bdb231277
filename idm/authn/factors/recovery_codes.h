// Recovery codes: ten single-use codes a user keeps on paper for when the authenticator is lost
// (docs/design/017-mfa-methods-and-flow.md). A success adds amr "mfa" only: RFC 8176 has no
// value for a pre-shared paper code, and "otp" would claim a one-time-password device.
//
// A code is 16 base32 characters (80 random bits) shown as four groups "abcd-efgh-ijkl-mnop";
// what the user types is normalised (case, spaces, dashes) before hashing. Only a keyed hash is
// stored: HMAC-SHA-256 under a key derived from the KEK ("idm-recovery-code-v1"), fast, never
// Argon2 (ARCHITECTURE.md decision 4); the key makes offline guessing from a database copy
// useless. Codes are shown once, by Generate; generating again replaces every earlier code.
// Using a code writes RecoveryCodeUsed; generating writes RecoveryCodesGenerated.
//
// Thread-safety: immutable; safe to share. Random must outlive it.
#pragma once

#include <string>
#include <vector>

#include "idm/authn/factors/second_factor.h"
#include "idm/core/random.h"

namespace idm::authn::factors {

inline constexpr int kRecoveryCodeCount = 10;

class RecoveryCodeFactor final : public SecondFactor {
 public:
  // hash_key: 32 secret bytes, normally Kek::DeriveSecret("idm-recovery-code-v1").
  RecoveryCodeFactor(std::string hash_key, core::Random& random)
      : hash_key_(std::move(hash_key)), random_(random) {}

  std::string_view Id() const override { return "recovery_code"; }
  std::vector<std::string> Amr() const override { return {}; }
  // True when the user has an unused code.
  core::ServiceResult<bool> Has(store::Transaction& tx, const std::string& realm_id,
                                const std::string& user_id) const override;
  core::ServiceResult<bool> Verify(store::Transaction& tx, const core::OpContext& ctx,
                                   const core::Realm& realm, const core::User& user,
                                   const std::string& input) const override;
  core::ServiceResult<int64_t> Remove(store::Transaction& tx, const std::string& realm_id,
                                      const std::string& user_id) const override;

  // Replaces the user's codes with kRecoveryCodeCount new ones and returns them (shown once).
  core::ServiceResult<std::vector<std::string>> Generate(store::Transaction& tx,
                                                         const core::OpContext& ctx,
                                                         const core::Realm& realm,
                                                         const core::User& user) const;
  // The stored form of a code as typed: "hmac-sha256:" + hex.
  std::string Hash(const std::string& typed) const;

 private:
  std::string hash_key_;
  core::Random& random_;
};

}  // namespace idm::authn::factors
