// User claims per target: standard claims by scope plus the mappers of granted client scopes;
// see user_claims.h.
#include "idm/oauth/user_claims.h"

#include <algorithm>
#include <map>

#include "idm/rbac/effective_roles.h"
#include "idm/realm/service_support.h"

namespace idm::oauth {
namespace {

bool Granted(const std::vector<std::string>& scopes, const std::string& name) {
  return std::find(scopes.begin(), scopes.end(), name) != scopes.end();
}

// "/a/b" for group b under a, from the realm's groups by id.
std::string GroupPath(const core::Group& g, const std::map<std::string, core::Group>& by_id) {
  std::string path = "/" + g.name;
  const core::Group* cur = &g;
  for (size_t depth = 0; cur->parent_id && depth < by_id.size(); ++depth) {
    auto it = by_id.find(*cur->parent_id);
    if (it == by_id.end()) break;
    cur = &it->second;
    path = "/" + cur->name + path;
  }
  return path;
}

}  // namespace

core::Json UserClaims(const core::Client& client, const core::User& user,
                      const std::vector<std::string>& scopes, const ClaimSources& sources,
                      ClaimTarget target) {
  core::Json claims =
      target == ClaimTarget::kAccessToken ? core::Json::object() : StandardClaims(user, scopes);
  ClaimSources s = sources;
  s.user = &user;
  for (const core::ClientScope& scope : client.client_scopes) {
    if (Granted(scopes, scope.name)) ApplyMappers(scope.mappers, s, target, &claims);
  }
  return claims;
}

bool NeedsRolesOrGroups(const core::Client& client, const std::vector<std::string>& scopes) {
  for (const core::ClientScope& scope : client.client_scopes) {
    if (!Granted(scopes, scope.name)) continue;
    for (const core::ClaimMapper& m : scope.mappers) {
      if (m.kind == core::ClaimMapperKind::kRealmRoles ||
          m.kind == core::ClaimMapperKind::kClientRoles ||
          m.kind == core::ClaimMapperKind::kGroups) {
        return true;
      }
    }
  }
  return false;
}

core::ServiceResult<ClaimSources> LoadClaimSources(store::Transaction& tx,
                                                   const std::string& realm_id,
                                                   const core::User& user) {
  IDM_ASSIGN_OR_RETURN(rbac::EffectiveRoleSet roles, rbac::EffectiveRoles(tx, realm_id, user.id));
  ClaimSources out;
  out.user = &user;
  out.realm_roles = std::move(roles.realm_roles);
  out.client_roles = std::move(roles.client_roles);
  auto direct = tx.groups().ListUserGroups(realm_id, user.id);
  if (!direct) return realm::FromStoreError(direct.error(), "group");
  if (direct->empty()) return out;
  auto all = tx.groups().ListAll(realm_id);
  if (!all) return realm::FromStoreError(all.error(), "group");
  std::map<std::string, core::Group> by_id;
  for (core::Group& g : *all) by_id.emplace(g.id, std::move(g));
  for (const core::Group& g : *direct) out.group_paths.push_back(GroupPath(g, by_id));
  std::sort(out.group_paths.begin(), out.group_paths.end());
  return out;
}

}  // namespace idm::oauth
