// MfaAdminService: what an administrator does about a user's second factors through the admin API
// and the CLI (docs/design/017): list them (never their secrets), remove one, or reset all of them
// (every credential and every recovery code) for a user who lost the device. Each change writes
// its audit event in the same transaction: MfaCredentialRemoved, MfaReset.
//
// Failures: kNotFound (realm, user, or credential), kUnavailable, kInternal.
// Thread-safety: safe to share between threads; each call runs in its own transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "idm/core/mfa_model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::authn {

// A user's factors as an administrator sees them.
struct MfaOverview {
  std::vector<core::Credential> credentials;  // `secret` is always empty here
  int64_t recovery_codes_left = 0;
};

class MfaAdminService {
 public:
  MfaAdminService(store::Store& store, core::Random& random) : store_(store), random_(random) {}

  core::ServiceResult<MfaOverview> List(const std::string& realm, const std::string& user_id);
  // kNotFound when the user has no credential with the id.
  core::ServiceStatus Remove(const core::OpContext& ctx, const std::string& realm,
                             const std::string& user_id, const std::string& credential_id);
  // Deletes every credential and recovery code of the user (idempotent). Returns how many
  // credentials it removed.
  core::ServiceResult<int64_t> Reset(const core::OpContext& ctx, const std::string& realm,
                                     const std::string& user_id);

 private:
  store::Store& store_;
  core::Random& random_;
};

}  // namespace idm::authn
