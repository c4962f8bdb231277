// LoginService helpers; see login_support.h.
#include "idm/authn/login_support.h"

#include <utility>

#include "idm/realm/service_support.h"

namespace idm::authn {

using realm::FromStoreError;

core::ServiceResult<std::optional<core::User>> ActiveUser(store::Transaction& tx,
                                                          const std::string& realm_id,
                                                          const std::string& user_id) {
  auto user = tx.users().Get(realm_id, user_id);
  if (!user) {
    if (user.error().code == store::ErrorCode::kNotFound) return std::optional<core::User>();
    return FromStoreError(user.error(), "user");
  }
  if (!user->enabled) return std::optional<core::User>();
  return std::optional<core::User>(std::move(*user));
}

core::ServiceResult<std::optional<core::Consent>> StoredConsent(store::Transaction& tx,
                                                                const std::string& realm_id,
                                                                const std::string& user_id,
                                                                const std::string& client_id) {
  auto consent = tx.consents().Get(realm_id, user_id, client_id);
  if (consent) return std::optional<core::Consent>(std::move(*consent));
  if (consent.error().code == store::ErrorCode::kNotFound) return std::optional<core::Consent>();
  return FromStoreError(consent.error(), "consent");
}

Step ErrorStep(const AuthRequest& request, const core::Client& client, std::string error,
               std::string description) {
  Step step;
  step.kind = StepKind::kRedirect;
  step.request = request;
  step.client = client;
  step.error = std::move(error);
  step.error_description = std::move(description);
  return step;
}

core::ServiceResult<Step> GoneOr(const store::Error& error) {
  if (error.code == store::ErrorCode::kNotFound ||
      error.code == store::ErrorCode::kVersionMismatch) {
    return Step{};
  }
  return FromStoreError(error, "login flow");
}

core::OpContext UserContext(const core::OpContext& ctx, const std::string& user_id) {
  core::OpContext out = ctx;
  out.actor = "user:" + user_id;
  return out;
}

}  // namespace idm::authn
