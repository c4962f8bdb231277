// Small helpers of LoginService (login_service.cc, login_steps.cc); internal to idm/authn.
//
// Thread-safety: free functions over a caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// ctx with actor "user:<id>".
core::OpContext UserContext(const core::OpContext& ctx, const std::string& user_id);

}  // namespace idm::authn
