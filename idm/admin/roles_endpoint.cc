// /admin/api/v1/realms/{realm}/roles...: list and create realm roles; read, replace (PUT),
// merge-patch (PATCH, RFC 7396) and delete any role by id (realm or client role); list, add
// (POST {"role_id"}; a cycle is refused with 409) and remove (DELETE ?role_id=) composites.
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/representation.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

Result ListRealmRoles(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(store::ListQuery query, ParseListQuery(call.request));
  IDM_ASSIGN_OR_RETURN(core::Page<core::Role> page,
                       deps.roles.List(call.Realm(), std::nullopt, query));
  core::Json items = core::Json::array();
  for (const core::Role& role : page.items) items.push_back(RoleToJson(role));
  return JsonResponse(200, ListBody(std::move(items), page.next_cursor));
}

Result CreateRealmRole(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  core::Role draft;
  IDM_TRY(ReadRole(body, draft));
  draft.client_id.reset();
  IDM_ASSIGN_OR_RETURN(core::Role role, deps.roles.Create(call.op, call.Realm(), draft));
  return Created(call.request, role.id, RoleToJson(role), role.version);
}

Result GetRole(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Role role, deps.roles.Get(call.Realm(), call.Param("id")));
  return JsonResponse(200, RoleToJson(role), role.version);
}

Result UpdateRole(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  const std::string id = call.Param("id");
  IDM_ASSIGN_OR_RETURN(core::Role current, deps.roles.Get(call.Realm(), id));
  IDM_TRY(CheckIfMatch(if_match, current.version));
  core::Role changes;
  IDM_TRY(ReadRole(UpdateDocument(call.request.method, RoleToJson(current), body), changes));
  changes.client_id = current.client_id;
  IDM_ASSIGN_OR_RETURN(core::Role role,
                       deps.roles.Update(call.op, call.Realm(), id, changes, current.version));
  return JsonResponse(200, RoleToJson(role), role.version);
}

Result DeleteRole(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  const std::string id = call.Param("id");
  if (if_match) {
    IDM_ASSIGN_OR_RETURN(core::Role current, deps.roles.Get(call.Realm(), id));
    IDM_TRY(CheckIfMatch(if_match, current.version));
  }
  IDM_TRY(deps.roles.Delete(call.op, call.Realm(), id));
  return NoContent();
}

Result ListComposites(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::vector<core::Role> roles,
                       deps.roles.ListComposites(call.Realm(), call.Param("id")));
  core::Json items = core::Json::array();
  for (const core::Role& role : roles) items.push_back(RoleToJson(role));
  return JsonResponse(200, {{"items", std::move(items)}});
}

Result AddComposite(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  IDM_ASSIGN_OR_RETURN(std::string child, ReadRoleRef(body));
  IDM_TRY(deps.roles.AddComposite(call.op, call.Realm(), call.Param("id"), child));
  return NoContent();
}

Result RemoveComposite(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::string child, RequiredQuery(call.request, "role_id"));
  IDM_TRY(deps.roles.RemoveComposite(call.op, call.Realm(), call.Param("id"), child));
  return NoContent();
}

}  // namespace

std::vector<Route> RoleRoutes() {
  return {
      {"GET", "/realms/{realm}/roles", Access::kRealm, ListRealmRoles},
      {"POST", "/realms/{realm}/roles", Access::kRealm, CreateRealmRole},
      {"GET", "/realms/{realm}/roles/{id}", Access::kRealm, GetRole},
      {"PUT", "/realms/{realm}/roles/{id}", Access::kRealm, UpdateRole},
      {"PATCH", "/realms/{realm}/roles/{id}", Access::kRealm, UpdateRole},
      {"DELETE", "/realms/{realm}/roles/{id}", Access::kRealm, DeleteRole},
      {"GET", "/realms/{realm}/roles/{id}/composites", Access::kRealm, ListComposites},
      {"POST", "/realms/{realm}/roles/{id}/composites", Access::kRealm, AddComposite},
      {"DELETE", "/realms/{realm}/roles/{id}/composites", Access::kRealm, RemoveComposite},
  };
}

}  // namespace idm::admin
