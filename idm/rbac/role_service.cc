// RoleService; see role_service.h.
#include "idm/rbac/role_service.h"

#include <deque>
#include <map>
#include <set>
#include <utility>

#include "idm/rbac/rbac_validation.h"
#include "idm/realm/service_support.h"

namespace idm::rbac {
namespace {

using core::ServiceError;
using core::ServiceErrorCode;
using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::ResolveRealm;
using realm::WriteAuditEvent;

constexpr char kRoleWhat[] = "role with this name";

core::ServiceStatus CheckRole(const core::Role& role) {
  auto violations = ValidateRole(role);
  if (violations.empty()) return {};
  return core::InvalidArgument("invalid role", std::move(violations));
}

core::ServiceResult<core::Role> LoadRole(store::Transaction& tx, const std::string& realm_id,
                                         const std::string& id) {
  auto role = tx.roles().Get(realm_id, id);
  if (!role) return FromStoreError(role.error(), "role");
  return std::move(*role);
}

const char* HolderType(core::RoleHolderKind kind) {
  return kind == core::RoleHolderKind::kUser ? "user" : "group";
}

core::ServiceStatus CheckHolder(store::Transaction& tx, const std::string& realm_id,
                                core::RoleHolderKind kind, const std::string& holder_id) {
  if (kind == core::RoleHolderKind::kUser) {
    auto user = tx.users().Get(realm_id, holder_id);
    if (!user) return FromStoreError(user.error(), "user");
  } else {
    auto group = tx.groups().Get(realm_id, holder_id);
    if (!group) return FromStoreError(group.error(), "group");
  }
  return {};
}

// Whether `target` is reachable from `from` along composite edges (parent -> child).
bool Reaches(const std::vector<std::pair<std::string, std::string>>& edges, const std::string& from,
             const std::string& target) {
  std::multimap<std::string, std::string> children(edges.begin(), edges.end());
  std::set<std::string> visited = {from};
  std::deque<std::string> queue = {from};
  while (!queue.empty()) {
    std::string id = std::move(queue.front());
    queue.pop_front();
    if (id == target) return true;
    auto [begin, end] = children.equal_range(id);
    for (auto it = begin; it != end; ++it) {
      if (visited.insert(it->second).second) queue.push_back(it->second);
    }
  }
  return false;
}

core::Json RoleDetails(const core::Role& role) {
  core::Json d = {{"name", role.name}, {"require_mfa", role.require_mfa}};
  if (role.client_id) d["client"] = *role.client_id;
  return d;
}

}  // namespace

core::ServiceResult<core::Role> RoleService::Create(const core::OpContext& ctx,
                                                    const std::string& realm,
                                                    const core::Role& draft) {
  IDM_TRY(CheckRole(draft));
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  if (draft.client_id) {
    auto client = tx->clients().Get(r.id, *draft.client_id);
    if (!client) return FromStoreError(client.error(), "client");
  }
  core::Role role = draft;
  role.id = core::NewUuid(random_);
  role.realm_id = r.id;
  role.created_at = ctx.now;
  role.updated_at = ctx.now;
  role.version = 1;
  auto created = tx->roles().Create(role);
  if (!created) return FromStoreError(created.error(), kRoleWhat);
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "RoleCreated", "role", created->id,
                          RoleDetails(*created)));
  IDM_TRY(CommitTx(*tx));
  return std::move(*created);
}

core::ServiceResult<core::Role> RoleService::Get(const std::string& realm, const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  return LoadRole(*tx, r.id, id);
}

core::ServiceResult<core::Role> RoleService::GetByName(const std::string& realm,
                                                       const std::optional<std::string>& client_id,
                                                       const std::string& name) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto role = tx->roles().GetByName(r.id, client_id, name);
  if (!role) return FromStoreError(role.error(), "role");
  return std::move(*role);
}

core::ServiceResult<core::Page<core::Role>> RoleService::List(
    const std::string& realm, const std::optional<std::string>& client_id,
    const store::ListQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return core::InvalidArgument("invalid paging parameters", {{"limit", "must be 1..1000"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  if (client_id) {
    auto client = tx->clients().Get(r.id, *client_id);
    if (!client) return FromStoreError(client.error(), "client");
  }
  auto page = tx->roles().List(r.id, client_id, q);
  if (!page) return FromStoreError(page.error(), "role");
  return std::move(*page);
}

core::ServiceResult<core::Role> RoleService::Update(const core::OpContext& ctx,
                                                    const std::string& realm, const std::string& id,
                                                    const core::Role& changes,
                                                    int64_t expected_version) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Role current, LoadRole(*tx, r.id, id));
  core::Role updated = current;
  updated.name = changes.name;
  updated.description = changes.description;
  updated.require_mfa = changes.require_mfa;
  IDM_TRY(CheckRole(updated));
  updated.updated_at = ctx.now;
  updated.version = expected_version;
  auto stored = tx->roles().Update(updated);
  if (!stored) return FromStoreError(stored.error(), kRoleWhat);
  core::Json details = RoleDetails(*stored);
  if (current.name != stored->name) details["previous_name"] = current.name;
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "RoleUpdated", "role", id, details));
  IDM_TRY(CommitTx(*tx));
  return std::move(*stored);
}

core::ServiceStatus RoleService::Delete(const core::OpContext& ctx, const std::string& realm,
                                        const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Role role, LoadRole(*tx, r.id, id));
  auto deleted = tx->roles().Delete(r.id, id);
  if (!deleted) return FromStoreError(deleted.error(), "role");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "RoleDeleted", "role", id, RoleDetails(role)));
  return CommitTx(*tx);
}

core::ServiceStatus RoleService::AddComposite(const core::OpContext& ctx, const std::string& realm,
                                              const std::string& parent_id,
                                              const std::string& child_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Role parent, LoadRole(*tx, r.id, parent_id));
  IDM_ASSIGN_OR_RETURN(core::Role child, LoadRole(*tx, r.id, child_id));
  auto edges = tx->roles().ListAllCompositeEdges(r.id);
  if (!edges) return FromStoreError(edges.error(), "role");
  if (Reaches(*edges, child_id, parent_id)) {
    return ServiceError{ServiceErrorCode::kFailedPrecondition,
                        "the composite would create a cycle: '" + child.name +
                            "' already includes '" + parent.name + "'",
                        {}};
  }
  auto added = tx->roles().AddComposite(r.id, parent_id, child_id);
  if (!added) return FromStoreError(added.error(), "role");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "CompositeAdded", "role", parent_id,
                          {{"name", parent.name}, {"child_id", child_id}, {"child", child.name}}));
  return CommitTx(*tx);
}

core::ServiceStatus RoleService::RemoveComposite(const core::OpContext& ctx,
                                                 const std::string& realm,
                                                 const std::string& parent_id,
                                                 const std::string& child_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Role parent, LoadRole(*tx, r.id, parent_id));
  auto removed = tx->roles().RemoveComposite(r.id, parent_id, child_id);
  if (!removed) return FromStoreError(removed.error(), "composite");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "CompositeRemoved", "role", parent_id,
                          {{"name", parent.name}, {"child_id", child_id}}));
  return CommitTx(*tx);
}

core::ServiceResult<std::vector<core::Role>> RoleService::ListComposites(
    const std::string& realm, const std::string& parent_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_TRY(LoadRole(*tx, r.id, parent_id));
  auto children = tx->roles().ListComposites(r.id, parent_id);
  if (!children) return FromStoreError(children.error(), "role");
  return std::move(*children);
}

core::ServiceStatus RoleService::Grant(const core::OpContext& ctx, const std::string& realm,
                                       core::RoleHolderKind kind, const std::string& holder_id,
                                       const std::string& role_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Role role, LoadRole(*tx, r.id, role_id));
  IDM_TRY(CheckHolder(*tx, r.id, kind, holder_id));
  auto granted = tx->roles().Grant(r.id, kind, holder_id, role_id);
  if (!granted) return FromStoreError(granted.error(), "role mapping");
  core::Json details = RoleDetails(role);
  details["role_id"] = role_id;
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "RoleGranted", HolderType(kind), holder_id,
                          details));
  return CommitTx(*tx);
}

core::ServiceStatus RoleService::Revoke(const core::OpContext& ctx, const std::string& realm,
                                        core::RoleHolderKind kind, const std::string& holder_id,
                                        const std::string& role_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Role role, LoadRole(*tx, r.id, role_id));
  IDM_TRY(CheckHolder(*tx, r.id, kind, holder_id));
  auto revoked = tx->roles().Revoke(r.id, kind, holder_id, role_id);
  if (!revoked) return FromStoreError(revoked.error(), "role mapping");
  core::Json details = RoleDetails(role);
  details["role_id"] = role_id;
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "RoleRevoked", HolderType(kind), holder_id,
                          details));
  return CommitTx(*tx);
}

core::ServiceResult<std::vector<core::Role>> RoleService::ListGranted(
    const std::string& realm, core::RoleHolderKind kind, const std::string& holder_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_TRY(CheckHolder(*tx, r.id, kind, holder_id));
  auto roles = tx->roles().ListGranted(r.id, kind, holder_id);
  if (!roles) return FromStoreError(roles.error(), "role mapping");
  return std::move(*roles);
}

}  // namespace idm::rbac
