// /admin/api/v1/realms and /realms/{realm}: list, create, read, replace (PUT), merge-patch
// (PATCH, RFC 7396) and delete realms. Creating and deleting realms is for master administrators
// only; a realm administrator sees and changes its own realm (authorization.h).
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/representation.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

Result ListRealms(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::vector<core::Realm> realms, deps.realms.List());
  core::Json items = core::Json::array();
  for (const core::Realm& realm : realms) {
    if (call.caller.MayAdminister(realm.name)) items.push_back(RealmToJson(realm));
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

Result CreateRealm(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  core::Realm draft;
  IDM_TRY(ReadRealm(body, draft));
  IDM_ASSIGN_OR_RETURN(core::Realm realm, deps.realms.Create(call.op, draft));
  return Created(call.request, realm.name, RealmToJson(realm), realm.version);
}

Result GetRealm(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Realm realm, deps.realms.Get(call.Realm()));
  return JsonResponse(200, RealmToJson(realm), realm.version);
}

Result UpdateRealm(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  IDM_ASSIGN_OR_RETURN(core::Realm current, deps.realms.Get(call.Realm()));
  IDM_TRY(CheckIfMatch(if_match, current.version));
  core::Realm changes;
  IDM_TRY(ReadRealm(UpdateDocument(call.request.method, RealmToJson(current), body), changes));
  IDM_ASSIGN_OR_RETURN(core::Realm realm,
                       deps.realms.Update(call.op, call.Realm(), changes, current.version));
  return JsonResponse(200, RealmToJson(realm), realm.version);
}

Result DeleteRealm(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  if (if_match) {
    IDM_ASSIGN_OR_RETURN(core::Realm current, deps.realms.Get(call.Realm()));
    IDM_TRY(CheckIfMatch(if_match, current.version));
  }
  IDM_TRY(deps.realms.Delete(call.op, call.Realm()));
  return NoContent();
}

}  // namespace

std::vector<Route> RealmRoutes() {
  return {
      {"GET", "/realms", Access::kAnyAdmin, ListRealms},
      {"POST", "/realms", Access::kMasterAdmin, CreateRealm},
      {"GET", "/realms/{realm}", Access::kRealm, GetRealm},
      {"PUT", "/realms/{realm}", Access::kRealm, UpdateRealm},
      {"PATCH", "/realms/{realm}", Access::kRealm, UpdateRealm},
      {"DELETE", "/realms/{realm}", Access::kMasterAdmin, DeleteRealm},
  };
}

}  // namespace idm::admin
