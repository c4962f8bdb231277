// RealmService; see realm_service.h.
#include "idm/realm/realm_service.h"

#include <utility>

#include "idm/realm/realm_validation.h"
#include "idm/realm/service_support.h"

namespace idm::realm {
namespace {

using core::ServiceError;
using core::ServiceErrorCode;

core::ServiceStatus CheckRealm(const core::Realm& realm) {
  auto violations = ValidateRealm(realm);
  if (violations.empty()) return {};
  return core::InvalidArgument("invalid realm", std::move(violations));
}

// Names of the top-level fields that differ, for the RealmUpdated details.
core::Json ChangedFields(const core::Realm& before, const core::Realm& after) {
  core::Json changed = core::Json::array();
  if (before.display_name != after.display_name) changed.push_back("display_name");
  if (before.enabled != after.enabled) changed.push_back("enabled");
  const auto& a = before.settings;
  const auto& b = after.settings;
  const auto& pa = a.password_policy;
  const auto& pb = b.password_policy;
  bool policy_changed =
      pa.min_length != pb.min_length || pa.max_length != pb.max_length ||
      pa.require_digit != pb.require_digit || pa.require_upper != pb.require_upper ||
      pa.require_lower != pb.require_lower || pa.require_symbol != pb.require_symbol ||
      pa.not_username != pb.not_username;
  bool settings_changed =
      policy_changed || a.access_token_ttl_s != b.access_token_ttl_s ||
      a.id_token_ttl_s != b.id_token_ttl_s || a.refresh_token_ttl_s != b.refresh_token_ttl_s ||
      a.refresh_token_max_ttl_s != b.refresh_token_max_ttl_s ||
      a.sso_session_idle_s != b.sso_session_idle_s || a.sso_session_max_s != b.sso_session_max_s ||
      a.authorization_code_ttl_s != b.authorization_code_ttl_s ||
      a.default_signing_alg != b.default_signing_alg ||
      a.offline_token_ttl_s != b.offline_token_ttl_s ||
      a.offline_token_max_ttl_s != b.offline_token_max_ttl_s ||
      a.login_flow_ttl_s != b.login_flow_ttl_s ||
      a.brute_force_max_failures != b.brute_force_max_failures ||
      a.brute_force_ip_max_failures != b.brute_force_ip_max_failures ||
      a.brute_force_window_s != b.brute_force_window_s ||
      a.brute_force_lockout_s != b.brute_force_lockout_s ||
      a.brute_force_max_delay_ms != b.brute_force_max_delay_ms ||
      a.key_rotation_interval_s != b.key_rotation_interval_s ||
      a.client_registration != b.client_registration;
  if (settings_changed) changed.push_back("settings");
  if (policy_changed) changed.push_back("settings.password_policy");
  return changed;
}

}  // namespace

core::ServiceResult<core::Realm> RealmService::Create(const core::OpContext& ctx,
                                                      const core::Realm& draft) {
  IDM_TRY(CheckRealm(draft));
  core::Realm realm = draft;
  realm.id = core::NewUuid(random_);
  realm.created_at = ctx.now;
  realm.updated_at = ctx.now;
  realm.version = 1;
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  auto created = tx->realms().Create(realm);
  if (!created) return FromStoreError(created.error(), "realm");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, created->id, "RealmCreated", "realm", created->id,
                          {{"name", created->name}, {"enabled", created->enabled}}));
  IDM_TRY(CommitTx(*tx));
  return std::move(*created);
}

core::ServiceResult<core::Realm> RealmService::Get(const std::string& name) {
  return by_name_.Get(name, [&]() -> core::ServiceResult<core::Realm> {
    IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
    return ResolveRealm(*tx, name);
  });
}

core::ServiceResult<std::vector<core::Realm>> RealmService::List() {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  auto realms = tx->realms().List();
  if (!realms) return FromStoreError(realms.error(), "realm");
  return std::move(*realms);
}

core::ServiceResult<core::Realm> RealmService::Update(const core::OpContext& ctx,
                                                      const std::string& name,
                                                      const core::Realm& changes,
                                                      int64_t expected_version) {
  if (!changes.name.empty() && changes.name != name) {
    return core::InvalidArgument("a realm cannot be renamed",
                                 {{"name", "cannot be changed (it is part of the issuer)"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm current, ResolveRealm(*tx, name));
  core::Realm updated = current;
  updated.display_name = changes.display_name;
  updated.enabled = changes.enabled;
  updated.settings = changes.settings;
  updated.updated_at = ctx.now;
  updated.version = expected_version;
  IDM_TRY(CheckRealm(updated));
  if (name == kMasterRealm && !updated.enabled) {
    return ServiceError{
        ServiceErrorCode::kFailedPrecondition, "the master realm cannot be disabled", {}};
  }
  auto stored = tx->realms().Update(updated);
  if (!stored) return FromStoreError(stored.error(), "realm");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, stored->id, "RealmUpdated", "realm", stored->id,
                          {{"name", name}, {"changed", ChangedFields(current, *stored)}}));
  IDM_TRY(CommitTx(*tx));
  return std::move(*stored);
}

core::ServiceStatus RealmService::Delete(const core::OpContext& ctx, const std::string& name) {
  if (name == kMasterRealm) {
    return ServiceError{
        ServiceErrorCode::kFailedPrecondition, "the master realm cannot be deleted", {}};
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm realm, ResolveRealm(*tx, name));
  auto master = tx->realms().GetByName(kMasterRealm);
  if (!master && master.error().code == store::ErrorCode::kNotFound) {
    return ServiceError{ServiceErrorCode::kFailedPrecondition,
                        "a realm can only be deleted while the master realm exists to record it",
                        {}};
  }
  if (!master) return FromStoreError(master.error(), "realm");
  auto deleted = tx->realms().Delete(realm.id);
  if (!deleted) return FromStoreError(deleted.error(), "realm");
  // The deleted realm's chain goes with it, so the master realm's chain records the deletion.
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, master->id, "RealmDeleted", "realm", realm.id,
                          {{"name", realm.name}}));
  return CommitTx(*tx);
}

}  // namespace idm::realm
