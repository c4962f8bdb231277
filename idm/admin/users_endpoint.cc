// /admin/api/v1/realms/{realm}/users...: list and prefix search, create (optionally with a
// password), read, replace (PUT), merge-patch (PATCH, RFC 7396), delete, set the password (policy
// violations come back as a 400 problem naming field "password") and list the user's groups.
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/json_fields.h"
#include "idm/admin/representation.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

Result ListUsers(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(store::ListQuery query, ParseListQuery(call.request));
  IDM_ASSIGN_OR_RETURN(core::Page<core::User> page, deps.users.List(call.Realm(), query));
  core::Json items = core::Json::array();
  for (const core::User& user : page.items) items.push_back(UserToJson(user));
  return JsonResponse(200, ListBody(std::move(items), page.next_cursor));
}

Result CreateUser(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  core::User draft;
  std::optional<std::string> password;
  IDM_TRY(ReadUser(body, draft, &password));
  IDM_ASSIGN_OR_RETURN(core::User user, deps.users.Create(call.op, call.Realm(), draft, password));
  return Created(call.request, user.id, UserToJson(user), user.version);
}

Result GetUser(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::User user, deps.users.Get(call.Realm(), call.Param("id")));
  return JsonResponse(200, UserToJson(user), user.version);
}

Result UpdateUser(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  const std::string id = call.Param("id");
  IDM_ASSIGN_OR_RETURN(core::User current, deps.users.Get(call.Realm(), id));
  IDM_TRY(CheckIfMatch(if_match, current.version));
  core::User changes;
  IDM_TRY(ReadUser(UpdateDocument(call.request.method, UserToJson(current), body), changes));
  IDM_ASSIGN_OR_RETURN(core::User user,
                       deps.users.Update(call.op, call.Realm(), id, changes, current.version));
  return JsonResponse(200, UserToJson(user), user.version);
}

Result DeleteUser(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  const std::string id = call.Param("id");
  if (if_match) {
    IDM_ASSIGN_OR_RETURN(core::User current, deps.users.Get(call.Realm(), id));
    IDM_TRY(CheckIfMatch(if_match, current.version));
  }
  IDM_TRY(deps.users.Delete(call.op, call.Realm(), id));
  return NoContent();
}

Result SetPassword(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  std::optional<std::string> password;
  FieldReader reader(body);
  reader.OptionalString("password", password);
  if (!password) reader.AddViolation("password", "required");
  IDM_TRY(reader.Finish());
  IDM_TRY(deps.users.SetPassword(call.op, call.Realm(), call.Param("id"), *password));
  return NoContent();
}

Result ListUserGroups(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::vector<core::Group> groups,
                       deps.groups.ListUserGroups(call.Realm(), call.Param("id")));
  core::Json items = core::Json::array();
  for (const core::Group& group : groups) items.push_back(GroupToJson(group));
  return JsonResponse(200, {{"items", std::move(items)}});
}

}  // namespace

std::vector<Route> UserRoutes() {
  return {
      {"GET", "/realms/{realm}/users", Access::kRealm, ListUsers},
      {"POST", "/realms/{realm}/users", Access::kRealm, CreateUser},
      {"GET", "/realms/{realm}/users/{id}", Access::kRealm, GetUser},
      {"PUT", "/realms/{realm}/users/{id}", Access::kRealm, UpdateUser},
      {"PATCH", "/realms/{realm}/users/{id}", Access::kRealm, UpdateUser},
      {"DELETE", "/realms/{realm}/users/{id}", Access::kRealm, DeleteUser},
      {"PUT", "/realms/{realm}/users/{id}/password", Access::kRealm, SetPassword},
      {"GET", "/realms/{realm}/users/{id}/groups", Access::kRealm, ListUserGroups},
  };
}

}  // namespace idm::admin
