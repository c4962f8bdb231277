// /admin/api/v1/realms/{realm}/initial-access-tokens...: the initial access tokens of dynamic
// client registration (RFC 7591 §3; realm::RegistrationService). Create (the token "idm_iat_..."
// is in the 201 response and nowhere else: only its hash is stored), list, delete.
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/json_fields.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

core::Json ToJson(const core::InitialAccessToken& t) {
  return {{"id", t.id},
          {"description", t.description},
          {"created_at", t.created_at},
          {"expires_at", t.expires_at},
          {"max_uses", t.max_uses},
          {"uses", t.uses},
          {"created_by", t.created_by}};
}

core::ServiceResult<realm::RegistrationService*> Service(AdminDeps& deps) {
  if (deps.registrations == nullptr) {
    return core::ServiceError{
        core::ServiceErrorCode::kInternal, "dynamic client registration is not wired", {}};
  }
  return deps.registrations;
}

Result CreateToken(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(realm::RegistrationService * service, Service(deps));
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  int64_t expires_in = 86400;
  int64_t max_uses = 1;
  std::string description;
  FieldReader r(body);
  r.Int("expires_in", expires_in);
  r.Int("max_uses", max_uses);
  r.String("description", description);
  IDM_TRY(r.Finish());
  IDM_ASSIGN_OR_RETURN(
      realm::IssuedInitialAccessToken issued,
      service->CreateInitialAccessToken(call.op, call.Realm(), expires_in, max_uses, description));
  core::Json out = ToJson(issued.info);
  out["token"] = issued.token;
  http::WebResponse response = Created(call.request, issued.info.id, out, 0);
  response.SetHeader("Cache-Control", "no-store");  // carries a secret
  response.SetHeader("Pragma", "no-cache");
  return response;
}

Result ListTokens(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(realm::RegistrationService * service, Service(deps));
  IDM_ASSIGN_OR_RETURN(std::vector<core::InitialAccessToken> tokens,
                       service->ListInitialAccessTokens(call.Realm()));
  core::Json items = core::Json::array();
  for (const core::InitialAccessToken& t : tokens) items.push_back(ToJson(t));
  return JsonResponse(200, ListBody(std::move(items), ""));
}

Result DeleteToken(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(realm::RegistrationService * service, Service(deps));
  IDM_TRY(service->DeleteInitialAccessToken(call.op, call.Realm(), call.Param("id")));
  return NoContent();
}

}  // namespace

std::vector<Route> InitialAccessTokenRoutes() {
  return {
      {"GET", "/realms/{realm}/initial-access-tokens", Access::kRealm, ListTokens},
      {"POST", "/realms/{realm}/initial-access-tokens", Access::kRealm, CreateToken},
      {"DELETE", "/realms/{realm}/initial-access-tokens/{id}", Access::kRealm, DeleteToken},
  };
}

}  // namespace idm::admin
