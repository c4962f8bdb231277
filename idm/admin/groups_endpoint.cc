// /admin/api/v1/realms/{realm}/groups...: list top-level groups or the children of ?parent=,
// create, read, replace (PUT; a new parent_id moves the group), merge-patch (PATCH, RFC 7396),
// delete (with descendants), list members, add (PUT, idempotent) and remove (DELETE) a member.
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/representation.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

Result ListGroups(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(store::ListQuery query, ParseListQuery(call.request));
  std::optional<std::string> parent = call.request.Query("parent");
  if (parent && parent->empty()) parent.reset();
  IDM_ASSIGN_OR_RETURN(core::Page<core::Group> page, deps.groups.List(call.Realm(), parent, query));
  core::Json items = core::Json::array();
  for (const core::Group& group : page.items) items.push_back(GroupToJson(group));
  return JsonResponse(200, ListBody(std::move(items), page.next_cursor));
}

Result CreateGroup(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  core::Group draft;
  IDM_TRY(ReadGroup(body, draft));
  IDM_ASSIGN_OR_RETURN(core::Group group, deps.groups.Create(call.op, call.Realm(), draft));
  return Created(call.request, group.id, GroupToJson(group), group.version);
}

Result GetGroup(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Group group, deps.groups.Get(call.Realm(), call.Param("id")));
  return JsonResponse(200, GroupToJson(group), group.version);
}

Result UpdateGroup(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  const std::string id = call.Param("id");
  IDM_ASSIGN_OR_RETURN(core::Group current, deps.groups.Get(call.Realm(), id));
  IDM_TRY(CheckIfMatch(if_match, current.version));
  core::Group changes;
  IDM_TRY(ReadGroup(UpdateDocument(call.request.method, GroupToJson(current), body), changes));
  IDM_ASSIGN_OR_RETURN(core::Group group,
                       deps.groups.Update(call.op, call.Realm(), id, changes, current.version));
  return JsonResponse(200, GroupToJson(group), group.version);
}

Result DeleteGroup(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  const std::string id = call.Param("id");
  if (if_match) {
    IDM_ASSIGN_OR_RETURN(core::Group current, deps.groups.Get(call.Realm(), id));
    IDM_TRY(CheckIfMatch(if_match, current.version));
  }
  IDM_TRY(deps.groups.Delete(call.op, call.Realm(), id));
  return NoContent();
}

Result ListMembers(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(store::ListQuery query, ParseListQuery(call.request));
  IDM_ASSIGN_OR_RETURN(core::Page<core::User> page,
                       deps.groups.ListMembers(call.Realm(), call.Param("id"), query));
  core::Json items = core::Json::array();
  for (const core::User& user : page.items) items.push_back(UserToJson(user));
  return JsonResponse(200, ListBody(std::move(items), page.next_cursor));
}

Result AddMember(AdminDeps& deps, const Call& call) {
  IDM_TRY(deps.groups.AddMember(call.op, call.Realm(), call.Param("id"), call.Param("user_id")));
  return NoContent();
}

Result RemoveMember(AdminDeps& deps, const Call& call) {
  IDM_TRY(deps.groups.RemoveMember(call.op, call.Realm(), call.Param("id"), call.Param("user_id")));
  return NoContent();
}

}  // namespace

std::vector<Route> GroupRoutes() {
  return {
      {"GET", "/realms/{realm}/groups", Access::kRealm, ListGroups},
      {"POST", "/realms/{realm}/groups", Access::kRealm, CreateGroup},
      {"GET", "/realms/{realm}/groups/{id}", Access::kRealm, GetGroup},
      {"PUT", "/realms/{realm}/groups/{id}", Access::kRealm, UpdateGroup},
      {"PATCH", "/realms/{realm}/groups/{id}", Access::kRealm, UpdateGroup},
      {"DELETE", "/realms/{realm}/groups/{id}", Access::kRealm, DeleteGroup},
      {"GET", "/realms/{realm}/groups/{id}/members", Access::kRealm, ListMembers},
      {"PUT", "/realms/{realm}/groups/{id}/members/{user_id}", Access::kRealm, AddMember},
      {"DELETE", "/realms/{realm}/groups/{id}/members/{user_id}", Access::kRealm, RemoveMember},
  };
}

}  // namespace idm::admin
