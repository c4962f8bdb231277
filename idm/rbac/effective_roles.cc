// Effective-role resolution; see effective_roles.h.
#include "idm/rbac/effective_roles.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "idm/realm/service_support.h"

namespace idm::rbac {
namespace {

using realm::FromStoreError;

// The groups the user is in directly, plus all their ancestors (cycle-safe).
core::ServiceResult<std::set<std::string>> GroupsWithAncestors(store::Transaction& tx,
                                                               const std::string& realm_id,
                                                               const std::string& user_id) {
  auto direct = tx.groups().ListUserGroups(realm_id, user_id);
  if (!direct) return FromStoreError(direct.error(), "group");
  std::set<std::string> out;
  if (direct->empty()) return out;
  auto all = tx.groups().ListAll(realm_id);
  if (!all) return FromStoreError(all.error(), "group");
  std::map<std::string, std::optional<std::string>> parent_of;
  for (const auto& g : *all) parent_of[g.id] = g.parent_id;
  for (const auto& g : *direct) {
    std::optional<std::string> cursor = g.id;
    while (cursor && out.insert(*cursor).second) {
      auto it = parent_of.find(*cursor);
      cursor = it == parent_of.end() ? std::nullopt : it->second;
    }
  }
  return out;
}

// Roles granted directly to the user and to each of the groups, keyed by id.
core::ServiceResult<std::map<std::string, core::Role>> DirectGrants(
    store::Transaction& tx, const std::string& realm_id, const std::string& user_id,
    const std::set<std::string>& group_ids) {
  std::map<std::string, core::Role> roles;
  auto add = [&](core::RoleHolderKind kind, const std::string& holder) -> core::ServiceStatus {
    auto granted = tx.roles().ListGranted(realm_id, kind, holder);
    if (!granted) return FromStoreError(granted.error(), "role mapping");
    for (auto& role : *granted) roles.emplace(role.id, std::move(role));
    return {};
  };
  IDM_TRY(add(core::RoleHolderKind::kUser, user_id));
  for (const auto& gid : group_ids) IDM_TRY(add(core::RoleHolderKind::kGroup, gid));
  return roles;
}

// Expands `roles` through composite edges transitively; the visited set (the map's keys) makes
// it terminate on cyclic data.
core::ServiceStatus ExpandComposites(store::Transaction& tx, const std::string& realm_id,
                                     std::map<std::string, core::Role>& roles) {
  auto edges = tx.roles().ListAllCompositeEdges(realm_id);
  if (!edges) return FromStoreError(edges.error(), "role");
  std::multimap<std::string, std::string> children(edges->begin(), edges->end());
  std::deque<std::string> queue;
  for (const auto& [id, role] : roles) queue.push_back(id);
  while (!queue.empty()) {
    std::string id = std::move(queue.front());
    queue.pop_front();
    auto [begin, end] = children.equal_range(id);
    for (auto it = begin; it != end; ++it) {
      if (roles.count(it->second)) continue;
      auto child = tx.roles().Get(realm_id, it->second);
      if (!child) return FromStoreError(child.error(), "role");
      roles.emplace(it->second, std::move(*child));
      queue.push_back(it->second);
    }
  }
  return {};
}

// Names the roles: realm roles by name, client roles under their client's OAuth client_id.
core::ServiceResult<EffectiveRoleSet> Collect(store::Transaction& tx, const std::string& realm_id,
                                              const std::map<std::string, core::Role>& roles) {
  EffectiveRoleSet out;
  std::map<std::string, std::string> client_ids;  // internal id -> OAuth client_id
  for (const auto& [id, role] : roles) {
    out.require_mfa = out.require_mfa || role.require_mfa;
    if (!role.client_id) {
      out.realm_roles.push_back(role.name);
      continue;
    }
    auto known = client_ids.find(*role.client_id);
    if (known == client_ids.end()) {
      auto client = tx.clients().Get(realm_id, *role.client_id);
      if (!client) return FromStoreError(client.error(), "client");
      known = client_ids.emplace(*role.client_id, client->client_id).first;
    }
    out.client_roles[known->second].push_back(role.name);
  }
  auto sort_unique = [](std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  sort_unique(out.realm_roles);
  for (auto& [client, names] : out.client_roles) sort_unique(names);
  return out;
}

}  // namespace

core::ServiceResult<EffectiveRoleSet> EffectiveRoles(store::Transaction& tx,
                                                     const std::string& realm_id,
                                                     const std::string& user_id) {
  auto user = tx.users().Get(realm_id, user_id);
  if (!user) return FromStoreError(user.error(), "user");
  IDM_ASSIGN_OR_RETURN(std::set<std::string> groups, GroupsWithAncestors(tx, realm_id, user_id));
  IDM_ASSIGN_OR_RETURN(auto roles, DirectGrants(tx, realm_id, user_id, groups));
  IDM_TRY(ExpandComposites(tx, realm_id, roles));
  return Collect(tx, realm_id, roles);
}

core::ServiceResult<EffectiveRoleSet> EffectiveRoles(store::Store& store, const std::string& realm,
                                                     const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, realm::BeginTx(store, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, realm::ResolveRealm(*tx, realm));
  return EffectiveRoles(*tx, r.id, user_id);
}

}  // namespace idm::rbac
