// Shared plumbing of the domain services; see service_support.h.
#include "idm/realm/service_support.h"

#include <utility>

#include "idm/core/log.h"

namespace idm::realm {

using core::ServiceError;
using core::ServiceErrorCode;

void LogServiceFailure(const std::string& what, const std::string& message) {
  core::log::Error("service store failure",
                   {{"component", "services"}, {"what", what}, {"store_message", message}});
}

ServiceError FromStoreError(const store::Error& error, const std::string& what) {
  switch (error.code) {
    case store::ErrorCode::kNotFound:
      return {ServiceErrorCode::kNotFound, what + " not found", {}};
    case store::ErrorCode::kConflict:
      return {ServiceErrorCode::kAlreadyExists, what + " already exists", {}};
    case store::ErrorCode::kVersionMismatch:
      return {ServiceErrorCode::kPreconditionFailed,
              what + " was changed by someone else; read it again",
              {}};
    case store::ErrorCode::kUnavailable:
      LogServiceFailure(what, error.message);
      return {ServiceErrorCode::kUnavailable, "the database is unavailable; retry later", {}};
    case store::ErrorCode::kInvalid:
      // The only caller input the store rejects on its own is a list cursor or limit.
      return core::InvalidArgument("invalid paging parameters", {{"cursor", "not a valid cursor"}});
    case store::ErrorCode::kCorrupt:
      break;
  }
  LogServiceFailure(what, error.message);
  return {ServiceErrorCode::kInternal, "internal error", {}};
}

core::ServiceResult<std::unique_ptr<store::Transaction>> BeginTx(store::Store& store,
                                                                 store::TxMode mode) {
  auto tx = store.Begin(mode);
  if (!tx) return FromStoreError(tx.error(), "transaction");
  return std::move(*tx);
}

core::ServiceStatus CommitTx(store::Transaction& tx) {
  auto st = tx.Commit();
  if (st) return {};
  if (st.error().code == store::ErrorCode::kConflict) {
    LogServiceFailure("commit", st.error().message);
    return ServiceError{
        ServiceErrorCode::kUnavailable, "a concurrent change interfered; retry the request", {}};
  }
  return FromStoreError(st.error(), "commit");
}

core::ServiceResult<core::Realm> ResolveRealm(store::Transaction& tx, const std::string& name) {
  auto realm = tx.realms().GetByName(name);
  if (!realm) return FromStoreError(realm.error(), "realm");
  return std::move(*realm);
}

core::ServiceResult<core::User> GetUser(store::Transaction& tx, const std::string& realm_id,
                                        const std::string& user_id) {
  auto user = tx.users().Get(realm_id, user_id);
  if (!user) return FromStoreError(user.error(), "user");
  return std::move(*user);
}

core::AuditEvent MakeAuditEvent(const core::OpContext& ctx, core::Random& random,
                                const std::string& realm_id, const std::string& type,
                                const std::string& resource_type, const std::string& resource_id,
                                const core::Json& details) {
  core::AuditEvent e;
  e.id = core::NewTimeOrderedUuid(random, ctx.now);  // audit ids grow with time
  e.realm_id = realm_id;
  e.time = ctx.now;
  e.type = type;
  e.actor = ctx.actor.empty() ? "system" : ctx.actor;
  e.resource_type = resource_type;
  e.resource_id = resource_id;
  e.details = details.is_object() ? details.dump() : core::Json::object().dump();
  e.client_ip = ctx.client_ip;
  e.request_id = ctx.request_id;
  return e;
}

core::ServiceStatus WriteAuditEvent(store::Transaction& tx, const core::OpContext& ctx,
                                    core::Random& random, const std::string& realm_id,
                                    const std::string& type, const std::string& resource_type,
                                    const std::string& resource_id, const core::Json& details) {
  auto appended = tx.audit().Append(
      MakeAuditEvent(ctx, random, realm_id, type, resource_type, resource_id, details));
  if (!appended) return FromStoreError(appended.error(), "audit event");
  return {};
}

}  // namespace idm::realm
