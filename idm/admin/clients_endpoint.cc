// /admin/api/v1/realms/{realm}/clients...: OAuth client registration (RFC 6749 §2). List and
// prefix search, create (the generated secret of a confidential client is in the 201 response and
// nowhere else: only its hash is stored), read, replace (PUT), merge-patch (PATCH, RFC 7396),
// delete, regenerate the secret (POST .../secret, the new secret shown once), and the client's
// roles (GET list, POST create).
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/representation.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

http::WebResponse NoStore(http::WebResponse r) {
  // A response carrying a secret must not be cached anywhere (RFC 6749 §5.1 by analogy).
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

Result ListClients(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(store::ListQuery query, ParseListQuery(call.request));
  IDM_ASSIGN_OR_RETURN(core::Page<core::Client> page, deps.clients.List(call.Realm(), query));
  core::Json items = core::Json::array();
  for (const core::Client& client : page.items) items.push_back(ClientToJson(client));
  return JsonResponse(200, ListBody(std::move(items), page.next_cursor));
}

Result CreateClient(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  core::Client draft;
  IDM_TRY(ReadClient(body, draft));
  IDM_ASSIGN_OR_RETURN(realm::CreatedClient created,
                       deps.clients.Create(call.op, call.Realm(), draft));
  core::Json out = ClientToJson(created.client);
  if (!created.secret.empty()) out["client_secret"] = created.secret;
  return NoStore(Created(call.request, created.client.id, out, created.client.version));
}

Result GetClient(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Client client, deps.clients.Get(call.Realm(), call.Param("id")));
  return JsonResponse(200, ClientToJson(client), client.version);
}

Result UpdateClient(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  const std::string id = call.Param("id");
  IDM_ASSIGN_OR_RETURN(core::Client current, deps.clients.Get(call.Realm(), id));
  IDM_TRY(CheckIfMatch(if_match, current.version));
  core::Client changes;
  IDM_TRY(ReadClient(UpdateDocument(call.request.method, ClientToJson(current), body), changes));
  IDM_ASSIGN_OR_RETURN(core::Client client,
                       deps.clients.Update(call.op, call.Realm(), id, changes, current.version));
  return JsonResponse(200, ClientToJson(client), client.version);
}

Result DeleteClient(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(call.request));
  const std::string id = call.Param("id");
  if (if_match) {
    IDM_ASSIGN_OR_RETURN(core::Client current, deps.clients.Get(call.Realm(), id));
    IDM_TRY(CheckIfMatch(if_match, current.version));
  }
  IDM_TRY(deps.clients.Delete(call.op, call.Realm(), id));
  return NoContent();
}

Result RegenerateSecret(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(std::string secret,
                       deps.clients.RegenerateSecret(call.op, call.Realm(), call.Param("id")));
  return NoStore(JsonResponse(200, {{"client_secret", secret}}));
}

Result ListClientRoles(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(store::ListQuery query, ParseListQuery(call.request));
  const std::string id = call.Param("id");
  IDM_TRY(deps.clients.Get(call.Realm(), id));  // 404 for an unknown client, not an empty list
  IDM_ASSIGN_OR_RETURN(core::Page<core::Role> page, deps.roles.List(call.Realm(), id, query));
  core::Json items = core::Json::array();
  for (const core::Role& role : page.items) items.push_back(RoleToJson(role));
  return JsonResponse(200, ListBody(std::move(items), page.next_cursor));
}

Result CreateClientRole(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  core::Role draft;
  IDM_TRY(ReadRole(body, draft));
  draft.client_id = call.Param("id");
  IDM_ASSIGN_OR_RETURN(core::Role role, deps.roles.Create(call.op, call.Realm(), draft));
  // A role is addressed as /realms/{realm}/roles/{id}, whoever owns it.
  http::WebResponse r = JsonResponse(201, RoleToJson(role), role.version);
  r.SetHeader("Location",
              std::string(kApiPrefix) + "/realms/" + call.Realm() + "/roles/" + role.id);
  return r;
}

}  // namespace

std::vector<Route> ClientRoutes() {
  return {
      {"GET", "/realms/{realm}/clients", Access::kRealm, ListClients},
      {"POST", "/realms/{realm}/clients", Access::kRealm, CreateClient},
      {"GET", "/realms/{realm}/clients/{id}", Access::kRealm, GetClient},
      {"PUT", "/realms/{realm}/clients/{id}", Access::kRealm, UpdateClient},
      {"PATCH", "/realms/{realm}/clients/{id}", Access::kRealm, UpdateClient},
      {"DELETE", "/realms/{realm}/clients/{id}", Access::kRealm, DeleteClient},
      {"POST", "/realms/{realm}/clients/{id}/secret", Access::kRealm, RegenerateSecret},
      {"GET", "/realms/{realm}/clients/{id}/roles", Access::kRealm, ListClientRoles},
      {"POST", "/realms/{realm}/clients/{id}/roles", Access::kRealm, CreateClientRole},
  };
}

}  // namespace idm::admin
