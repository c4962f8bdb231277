// GroupService; see group_service.h.
#include "idm/rbac/group_service.h"

#include <algorithm>
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

constexpr char kGroupWhat[] = "group with this name under this parent";

core::ServiceStatus CheckGroup(const core::Group& group) {
  auto violations = ValidateGroup(group);
  if (violations.empty()) return {};
  return core::InvalidArgument("invalid group", std::move(violations));
}

core::ServiceResult<core::Group> LoadGroup(store::Transaction& tx, const std::string& realm_id,
                                           const std::string& id, const char* what = "group") {
  auto group = tx.groups().Get(realm_id, id);
  if (!group) return FromStoreError(group.error(), what);
  return std::move(*group);
}

core::ServiceResult<core::User> LoadUser(store::Transaction& tx, const std::string& realm_id,
                                         const std::string& id) {
  auto user = tx.users().Get(realm_id, id);
  if (!user) return FromStoreError(user.error(), "user");
  return std::move(*user);
}

// Refuses to put group `id` under new_parent when new_parent is the group itself or one of its
// descendants, i.e. when walking up from new_parent reaches `id`.
core::ServiceStatus CheckMove(store::Transaction& tx, const std::string& realm_id,
                              const std::string& id, const std::string& new_parent) {
  auto all = tx.groups().ListAll(realm_id);
  if (!all) return FromStoreError(all.error(), "group");
  std::map<std::string, std::optional<std::string>> parent_of;
  for (const auto& g : *all) parent_of[g.id] = g.parent_id;
  std::set<std::string> visited;
  std::optional<std::string> cursor = new_parent;
  while (cursor && visited.insert(*cursor).second) {
    if (*cursor == id) {
      return ServiceError{ServiceErrorCode::kFailedPrecondition,
                          "a group cannot be moved under itself or one of its descendants",
                          {}};
    }
    auto it = parent_of.find(*cursor);
    cursor = it == parent_of.end() ? std::nullopt : it->second;
  }
  return {};
}

core::Json GroupDetails(const core::Group& g) {
  core::Json d = {{"name", g.name}};
  d["parent_id"] = g.parent_id ? core::Json(*g.parent_id) : core::Json(nullptr);
  return d;
}

}  // namespace

core::ServiceResult<core::Group> GroupService::Create(const core::OpContext& ctx,
                                                      const std::string& realm,
                                                      const core::Group& draft) {
  IDM_TRY(CheckGroup(draft));
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  if (draft.parent_id) IDM_TRY(LoadGroup(*tx, r.id, *draft.parent_id, "parent group"));
  core::Group group = draft;
  group.id = core::NewUuid(random_);
  group.realm_id = r.id;
  group.created_at = ctx.now;
  group.updated_at = ctx.now;
  group.version = 1;
  auto created = tx->groups().Create(group);
  if (!created) return FromStoreError(created.error(), kGroupWhat);
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "GroupCreated", "group", created->id,
                          GroupDetails(*created)));
  IDM_TRY(CommitTx(*tx));
  return std::move(*created);
}

core::ServiceResult<core::Group> GroupService::Get(const std::string& realm,
                                                   const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  return LoadGroup(*tx, r.id, id);
}

core::ServiceResult<core::Page<core::Group>> GroupService::List(
    const std::string& realm, const std::optional<std::string>& parent_id,
    const store::ListQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return core::InvalidArgument("invalid paging parameters", {{"limit", "must be 1..1000"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  if (parent_id) IDM_TRY(LoadGroup(*tx, r.id, *parent_id, "parent group"));
  auto page = tx->groups().List(r.id, parent_id, q);
  if (!page) return FromStoreError(page.error(), "group");
  return std::move(*page);
}

core::ServiceResult<core::Group> GroupService::Update(const core::OpContext& ctx,
                                                      const std::string& realm,
                                                      const std::string& id,
                                                      const core::Group& changes,
                                                      int64_t expected_version) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Group current, LoadGroup(*tx, r.id, id));
  core::Group updated = current;
  updated.name = changes.name;
  updated.parent_id = changes.parent_id;
  updated.attributes = changes.attributes;
  IDM_TRY(CheckGroup(updated));
  if (updated.parent_id && updated.parent_id != current.parent_id) {
    IDM_TRY(LoadGroup(*tx, r.id, *updated.parent_id, "parent group"));
    IDM_TRY(CheckMove(*tx, r.id, id, *updated.parent_id));
  }
  updated.updated_at = ctx.now;
  updated.version = expected_version;
  auto stored = tx->groups().Update(updated);
  if (!stored) return FromStoreError(stored.error(), kGroupWhat);
  core::Json details = GroupDetails(*stored);
  details["moved"] = current.parent_id != stored->parent_id;
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "GroupUpdated", "group", id, details));
  IDM_TRY(CommitTx(*tx));
  return std::move(*stored);
}

core::ServiceStatus GroupService::Delete(const core::OpContext& ctx, const std::string& realm,
                                         const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Group group, LoadGroup(*tx, r.id, id));
  auto deleted = tx->groups().Delete(r.id, id);
  if (!deleted) return FromStoreError(deleted.error(), "group");
  IDM_TRY(
      WriteAuditEvent(*tx, ctx, random_, r.id, "GroupDeleted", "group", id, GroupDetails(group)));
  return CommitTx(*tx);
}

core::ServiceStatus GroupService::AddMember(const core::OpContext& ctx, const std::string& realm,
                                            const std::string& group_id,
                                            const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Group group, LoadGroup(*tx, r.id, group_id));
  IDM_ASSIGN_OR_RETURN(core::User user, LoadUser(*tx, r.id, user_id));
  auto added = tx->groups().AddMember(r.id, group_id, user_id);
  if (!added) return FromStoreError(added.error(), "membership");
  IDM_TRY(
      WriteAuditEvent(*tx, ctx, random_, r.id, "MemberAdded", "group", group_id,
                      {{"name", group.name}, {"user_id", user_id}, {"username", user.username}}));
  return CommitTx(*tx);
}

core::ServiceStatus GroupService::RemoveMember(const core::OpContext& ctx, const std::string& realm,
                                               const std::string& group_id,
                                               const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::Group group, LoadGroup(*tx, r.id, group_id));
  auto removed = tx->groups().RemoveMember(r.id, group_id, user_id);
  if (!removed) return FromStoreError(removed.error(), "membership");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "MemberRemoved", "group", group_id,
                          {{"name", group.name}, {"user_id", user_id}}));
  return CommitTx(*tx);
}

core::ServiceResult<core::Page<core::User>> GroupService::ListMembers(const std::string& realm,
                                                                      const std::string& group_id,
                                                                      const store::ListQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return core::InvalidArgument("invalid paging parameters", {{"limit", "must be 1..1000"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_TRY(LoadGroup(*tx, r.id, group_id));
  auto page = tx->groups().ListMembers(r.id, group_id, q);
  if (!page) return FromStoreError(page.error(), "membership");
  return std::move(*page);
}

core::ServiceResult<std::vector<core::Group>> GroupService::ListUserGroups(
    const std::string& realm, const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_TRY(LoadUser(*tx, r.id, user_id));
  auto groups = tx->groups().ListUserGroups(r.id, user_id);
  if (!groups) return FromStoreError(groups.error(), "membership");
  std::sort(groups->begin(), groups->end(), [](const core::Group& a, const core::Group& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  return std::move(*groups);
}

}  // namespace idm::rbac
