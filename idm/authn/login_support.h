// Small helpers of LoginService (login_service.cc, login_steps.cc); internal to idm/authn.
//
// Thread-safety: free functions over a caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/account/user_service.h"
#include "idm/authn/login_service.h"

namespace idm::authn {

// What a stored flow brings along (LoadFlow) and what Complete issues a code for.
struct LoginService::Loaded {
  core::LoginFlow flow;
  FlowData data;
  core::Client client;
};

struct LoginService::Issue {
  const core::Client& client;
  const core::User& user;
  const core::SsoSession& session;
  const FlowData& data;
  std::optional<core::LoginFlow> flow;
};

// Prefix of the flow-binding cookie value (a crypto::NewSecret).
inline constexpr std::string_view kBindingPrefix = "idm_fb_";

// The user if it exists and is enabled; nullopt otherwise.
core::ServiceResult<std::optional<core::User>> ActiveUser(store::Transaction& tx,
                                                          const std::string& realm_id,
                                                          const std::string& user_id);

// The user a login form names: account::FindLoginUser (idm/account/user_service.h).
using account::FindLoginUser;

// The user's consent to the client (internal id), nullopt if none.
core::ServiceResult<std::optional<core::Consent>> StoredConsent(store::Transaction& tx,
                                                                const std::string& realm_id,
                                                                const std::string& user_id,
                                                                const std::string& client_id);

// A kRedirect step carrying an error for the client.
Step ErrorStep(const AuthRequest& request, const core::Client& client, std::string error,
               std::string description);

// kGone for kNotFound / kVersionMismatch (the flow expired or another request moved it on);
// other store errors mapped as a service error.
core::ServiceResult<Step> GoneOr(const store::Error& error);

// RFC 8176 §2 amr of a login with `factor` after the password: "pwd", the factor's own values,
// and "mfa" (more than one factor). login_policy.cc.
std::vector<std::string> MfaAmr(const factors::SecondFactor& factor);

// With mfa_policy "required": the account is young enough to skip enrolment.
bool WithinEnrollmentGrace(const core::Realm& realm, const core::User& user,
                           core::UnixMillis now);

// The realm lets users use second-factor method `id` (mfa_policy not "off", and mfa_methods empty
// or naming it).
bool MethodAllowed(const core::RealmSettings& settings, std::string_view id);

// ctx with actor "user:<id>".
core::OpContext UserContext(const core::OpContext& ctx, const std::string& user_id);

}  // namespace idm::authn
