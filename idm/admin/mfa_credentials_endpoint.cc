// /admin/api/v1/realms/{realm}/users/{id}/credentials: a user's second factors
// (docs/design/017) — list them without their secrets, remove one, or reset all of them
// (credentials and recovery codes) when the user lost the device. Audited by the service
// (MfaCredentialRemoved, MfaReset).
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

core::ServiceError MfaAdminNotConfigured() {
  return {core::ServiceErrorCode::kUnavailable, "MFA administration is not configured", {}};
}

// Never the sealed seed: only what an administrator needs to recognise the factor.
core::Json CredentialToJson(const core::Credential& c) {
  core::Json j = {{"id", c.id},
                  {"type", c.type},
                  {"name", c.name},
                  {"confirmed", c.confirmed_at != 0},
                  {"created_at", c.created_at}};
  if (c.confirmed_at != 0) j["confirmed_at"] = c.confirmed_at;
  if (c.last_used_at != 0) j["last_used_at"] = c.last_used_at;
  return j;
}

Result ListCredentials(AdminDeps& deps, const Call& call) {
  if (deps.mfa == nullptr) return MfaAdminNotConfigured();
  IDM_ASSIGN_OR_RETURN(authn::MfaOverview overview, deps.mfa->List(call.Realm(), call.Param("id")));
  core::Json items = core::Json::array();
  for (const core::Credential& c : overview.credentials) items.push_back(CredentialToJson(c));
  core::Json body = ListBody(std::move(items), "");
  body["recovery_codes_left"] = overview.recovery_codes_left;
  return JsonResponse(200, body);
}

Result DeleteCredential(AdminDeps& deps, const Call& call) {
  if (deps.mfa == nullptr) return MfaAdminNotConfigured();
  IDM_TRY(deps.mfa->Remove(call.op, call.Realm(), call.Param("id"), call.Param("credential_id")));
  return NoContent();
}

Result ResetCredentials(AdminDeps& deps, const Call& call) {
  if (deps.mfa == nullptr) return MfaAdminNotConfigured();
  IDM_TRY(deps.mfa->Reset(call.op, call.Realm(), call.Param("id")));
  return NoContent();
}

}  // namespace

std::vector<Route> MfaCredentialRoutes() {
  return {
      {"GET", "/realms/{realm}/users/{id}/credentials", Access::kRealm, ListCredentials},
      {"DELETE", "/realms/{realm}/users/{id}/credentials", Access::kRealm, ResetCredentials},
      {"DELETE", "/realms/{realm}/users/{id}/credentials/{credential_id}", Access::kRealm,
       DeleteCredential},
  };
}

}  // namespace idm::admin
