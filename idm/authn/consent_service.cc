// ConsentService and LockoutService; see consent_service.h.
#include "idm/authn/consent_service.h"

#include <optional>
#include <utility>

#include "idm/authn/brute_force.h"
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

core::ServiceResult<std::vector<ConsentView>> ConsentService::List(const std::string& realm,
                                                                   const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_TRY(GetUser(*tx, r.id, user_id));
  auto consents = tx->consents().ListByUser(r.id, user_id);
  if (!consents) return FromStoreError(consents.error(), "consent");
  std::vector<ConsentView> out;
  for (core::Consent& c : *consents) {
    auto client = tx->clients().Get(r.id, c.client_id);
    if (!client) return FromStoreError(client.error(), "client");
    out.push_back(ConsentView{std::move(c), client->client_id, client->name});
  }
  return out;
}

core::ServiceResult<int64_t> ConsentService::Revoke(const core::OpContext& ctx,
                                                    const std::string& realm,
                                                    const std::string& user_id,
                                                    const std::string& client_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::User user, GetUser(*tx, r.id, user_id));
  auto client = tx->clients().GetByClientId(r.id, client_id);
  if (!client) return FromStoreError(client.error(), "client");
  if (auto deleted = tx->consents().Delete(r.id, user.id, client->id); !deleted) {
    return FromStoreError(deleted.error(), "consent");
  }
  auto revoked = tx->refresh_tokens().RevokeByUserClient(r.id, user.id, client->id, ctx.now);
  if (!revoked) return FromStoreError(revoked.error(), "refresh tokens");
  IDM_TRY(
      WriteAuditEvent(*tx, ctx, random_, r.id, "ConsentRevoked", "user", user.id,
                      {{"client_id", client->client_id}, {"refresh_tokens_revoked", *revoked}}));
  IDM_TRY(CommitTx(*tx));
  return *revoked;
}

core::ServiceStatus LockoutService::Unlock(const core::OpContext& ctx, const std::string& realm,
                                           const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(core::User user, GetUser(*tx, r.id, user_id));
  auto unlocked = tx->login_failures().Unlock(r.id, UserFailureKey(user.id));
  if (!unlocked && unlocked.error().code != store::ErrorCode::kNotFound) {
    return FromStoreError(unlocked.error(), "login failures");
  }
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "UserUnlocked", "user", user.id,
                          {{"username", user.username}}));
  IDM_TRY(CommitTx(*tx));
  return {};
}

core::ServiceResult<std::optional<core::LoginFailureCounter>> LockoutService::Get(
    const std::string& realm, const std::string& user_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_TRY(GetUser(*tx, r.id, user_id));
  auto c = tx->login_failures().Get(r.id, UserFailureKey(user_id));
  if (c) return std::optional<core::LoginFailureCounter>(std::move(*c));
  if (c.error().code == store::ErrorCode::kNotFound) {
    return std::optional<core::LoginFailureCounter>();
  }
  return FromStoreError(c.error(), "login failures");
}

}  // namespace idm::authn
