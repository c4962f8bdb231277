#include "idm/app/bootstrap.h"

#include "idm/core/clock.h"
#include "idm/crypto/encoding.h"
#include "idm/oauth/grants/client_credentials_grant.h"
#include "idm/realm/service_support.h"

namespace idm::app {
namespace {

using core::ServiceErrorCode;

core::OpContext SystemContext() {
  core::OpContext ctx;
  ctx.actor = "system";
  ctx.now = core::SystemClock().NowMillis();
  return ctx;
}

bool IsNotFound(const core::ServiceError& e) { return e.code == ServiceErrorCode::kNotFound; }

core::ServiceResult<core::Role> EnsureAdminRole(Runtime& rt, const core::OpContext& ctx) {
  if (auto realm = rt.realms().Get(realm::kMasterRealm); !realm) {
    if (!IsNotFound(realm.error())) return realm.error();
    core::Realm draft;
    draft.name = realm::kMasterRealm;
    draft.display_name = "Master";
    IDM_TRY(rt.realms().Create(ctx, draft));
  }
  auto role = rt.roles().GetByName(realm::kMasterRealm, std::nullopt, kAdminRole);
  if (role || !IsNotFound(role.error())) return role;
  core::Role draft;
  draft.name = kAdminRole;
  draft.description = "Administers every realm of this installation through the admin API";
  return rt.roles().Create(ctx, realm::kMasterRealm, draft);
}

// Gets or creates the user, with the password when creating; grants role.
core::ServiceResult<bool> EnsureUserWithRole(Runtime& rt, const core::OpContext& ctx,
                                             const std::string& username,
                                             const std::optional<std::string>& password,
                                             const core::Role& role) {
  bool created = false;
  auto user = rt.users().GetByUsername(realm::kMasterRealm, username);
  if (!user) {
    if (!IsNotFound(user.error())) return user.error();
    core::User draft;
    draft.username = username;
    user = rt.users().Create(ctx, realm::kMasterRealm, draft, password);
    if (!user) return user.error();
    created = true;
  }
  IDM_TRY(rt.roles().Grant(ctx, realm::kMasterRealm, core::RoleHolderKind::kUser, user->id,
                           role.id));
  return created;
}

core::ServiceResult<bool> EnsureClient(Runtime& rt, const core::OpContext& ctx,
                                       const core::Role& admin) {
  const config::Config& c = rt.config();
  bool created = false;
  auto client = rt.clients().GetByClientId(realm::kMasterRealm, c.bootstrap_admin_client_id);
  if (!client) {
    if (!IsNotFound(client.error())) return client.error();
    core::Client draft;
    draft.client_id = c.bootstrap_admin_client_id;
    draft.name = "Bootstrap admin client";
    draft.type = core::ClientType::kConfidential;
    draft.grant_types = {"client_credentials"};
    draft.token_endpoint_auth_method = "client_secret_basic";
    auto made = rt.clients().Create(ctx, realm::kMasterRealm, draft, c.bootstrap_admin_client_secret);
    if (!made) return made.error();
    created = true;
  }
  std::string service_account =
      std::string(oauth::kServiceAccountPrefix) + c.bootstrap_admin_client_id;
  IDM_TRY(EnsureUserWithRole(rt, ctx, service_account, std::nullopt, admin));
  return created;
}

core::ServiceResult<bool> AlreadyDone(Runtime& rt) {
  IDM_ASSIGN_OR_RETURN(auto tx, realm::BeginTx(rt.store(), store::TxMode::kReadOnly));
  auto v = tx->meta().Get(kBootstrapDoneKey);
  if (v) return true;
  if (v.error().code == store::ErrorCode::kNotFound) return false;
  return realm::FromStoreError(v.error(), "bootstrap marker");
}

core::ServiceStatus MarkDone(Runtime& rt, const core::OpContext& ctx) {
  IDM_ASSIGN_OR_RETURN(auto tx, realm::BeginTx(rt.store(), store::TxMode::kReadWrite));
  auto put = tx->meta().Put(kBootstrapDoneKey, std::to_string(ctx.now));
  if (!put) return realm::FromStoreError(put.error(), "bootstrap marker");
  return realm::CommitTx(*tx);
}

}  // namespace

core::ServiceResult<BootstrapOutcome> Bootstrap(Runtime& rt) {
  BootstrapOutcome out;
  IDM_ASSIGN_OR_RETURN(bool done, AlreadyDone(rt));
  if (done) return out;
  out.ran = true;
  core::OpContext ctx = SystemContext();
  IDM_ASSIGN_OR_RETURN(core::Role admin, EnsureAdminRole(rt, ctx));
  const config::Config& c = rt.config();
  std::optional<std::string> password = c.bootstrap_admin_password;
  if (c.bootstrap_admin_password.empty()) {
    password = crypto::Base64UrlEncode(rt.random().Bytes(18));  // 24 characters, 144 bits
  }
  IDM_ASSIGN_OR_RETURN(out.created_admin,
                       EnsureUserWithRole(rt, ctx, c.bootstrap_admin_username, password, admin));
  if (out.created_admin && c.bootstrap_admin_password.empty()) out.generated_password = *password;
  if (!c.bootstrap_admin_client_id.empty()) {
    IDM_ASSIGN_OR_RETURN(out.created_client, EnsureClient(rt, ctx, admin));
  }
  IDM_TRY(MarkDone(rt, ctx));
  return out;
}

}  // namespace idm::app
