// MfaAdminService; see mfa_admin_service.h.
#include "idm/authn/mfa_admin_service.h"

#include <utility>

#include "idm/realm/service_support.h"

namespace idm::authn {
namespace {

using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::GetUser;
using realm::ResolveRealm;
using realm::WriteAuditEvent;

}  // namespace

core::ServiceResult<MfaOverview> MfaAdminService::List(const std::string& realm,
                                                       const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_TRY(GetUser(*tx, r.id, user_id));
  auto creds = tx->credentials().ListByUser(r.id, user_id);
  if (!creds) return FromStoreError(creds.error(), "credentials");
  auto codes = tx->recovery_codes().ListByUser(r.id, user_id);
  if (!codes) return FromStoreError(codes.error(), "recovery codes");
  MfaOverview out;
  for (core::Credential& c : *creds) {
    c.secret.clear();  // never leaves the service
    out.credentials.push_back(std::move(c));
  }
  for (const core::RecoveryCode& c : *codes) out.recovery_codes_left += c.used_at == 0 ? 1 : 0;
  return out;
}

core::ServiceStatus MfaAdminService::Remove(const core::OpContext& ctx, const std::string& realm,
                                            const std::string& user_id,
                                            const std::string& credential_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::User user, GetUser(*tx, r.id, user_id));
  auto c = tx->credentials().Get(r.id, user.id, credential_id);
  if (!c) return FromStoreError(c.error(), "credential");
  if (auto d = tx->credentials().Delete(r.id, user.id, credential_id); !d) {
    return FromStoreError(d.error(), "credential");
  }
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "MfaCredentialRemoved", "user", user.id,
                          {{"username", user.username},
                           {"credential_id", c->id},
                           {"type", c->type},
                           {"name", c->name}}));
  return CommitTx(*tx);
}

core::ServiceResult<int64_t> MfaAdminService::Reset(const core::OpContext& ctx,
                                                    const std::string& realm,
                                                    const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::User user, GetUser(*tx, r.id, user_id));
  auto creds = tx->credentials().DeleteByUser(r.id, user.id);
  if (!creds) return FromStoreError(creds.error(), "credentials");
  auto codes = tx->recovery_codes().DeleteByUser(r.id, user.id);
  if (!codes) return FromStoreError(codes.error(), "recovery codes");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "MfaReset", "user", user.id,
                          {{"username", user.username},
                           {"credentials_removed", *creds},
                           {"recovery_codes_removed", *codes}}));
  IDM_TRY(CommitTx(*tx));
  return *creds;
}

}  // namespace idm::authn
