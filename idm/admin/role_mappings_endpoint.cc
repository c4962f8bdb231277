// Role mappings: /admin/api/v1/realms/{realm}/users/{id}/role-mappings and
// /groups/{id}/role-mappings (GET the roles granted directly, POST {"role_id"} to grant —
// idempotent — and DELETE ?role_id= to revoke), plus /users/{id}/effective-roles: what the user
// holds through direct grants, its groups and their ancestors, expanded through composites
// (rbac/effective_roles.h).
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/representation.h"
#include "idm/rbac/effective_roles.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;
using core::RoleHolderKind;

core::Json RoleItems(const std::vector<core::Role>& roles) {
  core::Json items = core::Json::array();
  for (const core::Role& role : roles) items.push_back(RoleToJson(role));
  return {{"items", std::move(items)}};
}

template <RoleHolderKind kKind>
Result ListMappings(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::vector<core::Role> roles,
                       deps.roles.ListGranted(call.Realm(), kKind, call.Param("id")));
  return JsonResponse(200, RoleItems(roles));
}

template <RoleHolderKind kKind>
Result Grant(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  IDM_ASSIGN_OR_RETURN(std::string role_id, ReadRoleRef(body));
  IDM_TRY(deps.roles.Grant(call.op, call.Realm(), kKind, call.Param("id"), role_id));
  return NoContent();
}

template <RoleHolderKind kKind>
Result Revoke(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::string role_id, RequiredQuery(call.request, "role_id"));
  IDM_TRY(deps.roles.Revoke(call.op, call.Realm(), kKind, call.Param("id"), role_id));
  return NoContent();
}

Result EffectiveRoles(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(rbac::EffectiveRoleSet set,
                       rbac::EffectiveRoles(deps.store, call.Realm(), call.Param("id")));
  core::Json client_roles = core::Json::object();
  for (const auto& [client_id, names] : set.client_roles) client_roles[client_id] = names;
  return JsonResponse(200, {{"realm_roles", set.realm_roles}, {"client_roles", client_roles}});
}

}  // namespace

std::vector<Route> UserRoleRoutes() {
  constexpr auto kUser = RoleHolderKind::kUser;
  constexpr auto kGroup = RoleHolderKind::kGroup;
  return {
      {"GET", "/realms/{realm}/users/{id}/role-mappings", Access::kRealm, ListMappings<kUser>},
      {"POST", "/realms/{realm}/users/{id}/role-mappings", Access::kRealm, Grant<kUser>},
      {"DELETE", "/realms/{realm}/users/{id}/role-mappings", Access::kRealm, Revoke<kUser>},
      {"GET", "/realms/{realm}/users/{id}/effective-roles", Access::kRealm, EffectiveRoles},
      {"GET", "/realms/{realm}/groups/{id}/role-mappings", Access::kRealm, ListMappings<kGroup>},
      {"POST", "/realms/{realm}/groups/{id}/role-mappings", Access::kRealm, Grant<kGroup>},
      {"DELETE", "/realms/{realm}/groups/{id}/role-mappings", Access::kRealm, Revoke<kGroup>},
  };
}

}  // namespace idm::admin
