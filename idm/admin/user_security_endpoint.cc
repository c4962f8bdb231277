// /admin/api/v1/realms/{realm}/users/{id}/consents and .../unlock: the consents a user gave
// (OIDC Core §3.1.2.4), withdrawing one (which also revokes the user's refresh tokens for that
// client, RFC 7009 §2.1), and lifting a brute-force lock (docs/design/013).
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

core::ServiceError SecurityNotConfigured() {
  return {core::ServiceErrorCode::kUnavailable, "user security services are not configured", {}};
}

core::Json ConsentToJson(const authn::ConsentView& v) {
  return {{"client_id", v.client_id},
          {"client_name", v.client_name},
          {"scopes", v.consent.scopes},
          {"created_at", v.consent.created_at},
          {"updated_at", v.consent.updated_at}};
}

Result ListConsents(AdminDeps& deps, const Call& call) {
  if (deps.consents == nullptr) return SecurityNotConfigured();
  IDM_ASSIGN_OR_RETURN(std::vector<authn::ConsentView> consents,
                       deps.consents->List(call.Realm(), call.Param("id")));
  core::Json items = core::Json::array();
  for (const authn::ConsentView& v : consents) items.push_back(ConsentToJson(v));
  return JsonResponse(200, ListBody(std::move(items), ""));
}

Result RevokeConsent(AdminDeps& deps, const Call& call) {
  if (deps.consents == nullptr) return SecurityNotConfigured();
  IDM_TRY(deps.consents->Revoke(call.op, call.Realm(), call.Param("id"), call.Param("client_id")));
  return NoContent();
}

Result UnlockUser(AdminDeps& deps, const Call& call) {
  if (deps.lockouts == nullptr) return SecurityNotConfigured();
  IDM_TRY(deps.lockouts->Unlock(call.op, call.Realm(), call.Param("id")));
  return NoContent();
}

}  // namespace

std::vector<Route> UserSecurityRoutes() {
  return {
      {"GET", "/realms/{realm}/users/{id}/consents", Access::kRealm, ListConsents},
      {"DELETE", "/realms/{realm}/users/{id}/consents/{client_id}", Access::kRealm, RevokeConsent},
      {"POST", "/realms/{realm}/users/{id}/unlock", Access::kRealm, UnlockUser},
  };
}

}  // namespace idm::admin
