// Ending SSO sessions (OpenID Connect RP-Initiated Logout 1.0 §2-3, OIDC Core §11).
#include "idm/authn/logout_service.h"

#include "idm/authn/login_support.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using realm::FromStoreError;
using realm::WriteAuditEvent;

core::ServiceResult<std::optional<core::SsoSession>> LogoutService::Current(
    const core::Realm& realm, std::string_view cookie_value, core::UnixMillis now) const {
  if (cookie_value.empty()) return std::optional<core::SsoSession>();
  auto tx = store_.Begin(store::TxMode::kReadOnly);
  if (!tx) return FromStoreError(tx.error(), "session");
  return sessions_.Find(**tx, realm, cookie_value, now);
}

core::ServiceResult<EndedSession> EndSessionIn(store::Transaction& tx, core::Random& random,
                                               const core::OpContext& ctx, const core::Realm& realm,
                                               const core::SsoSession& session,
                                               const std::string& initiator,
                                               std::string_view reason) {
  EndedSession ended;
  ended.session = session;
  if (auto s = tx.sessions().Revoke(session.id, ctx.now); !s) {
    return FromStoreError(s.error(), "session");
  }
  // OIDC Core §11: offline_access tokens outlive the browser session; the others end with it.
  auto revoked = tx.refresh_tokens().RevokeBySession(session.id, ctx.now);
  if (!revoked) return FromStoreError(revoked.error(), "refresh tokens");
  ended.refresh_tokens_revoked = *revoked;
  for (const std::string& id : session.client_ids) {
    auto client = tx.clients().Get(realm.id, id);
    if (client) {
      ended.clients.push_back(std::move(*client));
    } else if (client.error().code != store::ErrorCode::kNotFound) {
      return FromStoreError(client.error(), "client");
    }
  }
  IDM_TRY(WriteAuditEvent(tx, UserContext(ctx, session.user_id), random, realm.id,
                          "SessionLoggedOut", "user", session.user_id,
                          {{"session_id", session.id},
                           {"initiator_client_id", initiator},
                           {"refresh_tokens_revoked", ended.refresh_tokens_revoked},
                           {"reason", std::string(reason)}}));
  return ended;
}

core::ServiceResult<EndedSession> LogoutService::End(const core::OpContext& ctx,
                                                     const core::Realm& realm,
                                                     const std::string& session_id,
                                                     const std::string& initiator) const {
  auto tx = store_.Begin(store::TxMode::kReadWrite);
  if (!tx) return FromStoreError(tx.error(), "session");
  auto found = (*tx)->sessions().Get(realm.id, session_id);
  if (!found) return FromStoreError(found.error(), "session");
  if (found->revoked_at != 0) {
    return core::ServiceError{core::ServiceErrorCode::kNotFound, "session already ended", {}};
  }
  IDM_ASSIGN_OR_RETURN(EndedSession ended,
                       EndSessionIn(**tx, random_, ctx, realm, *found, initiator, kEndedByLogout));
  if (auto c = (*tx)->Commit(); !c) return FromStoreError(c.error(), "logout");
  return ended;
}

}  // namespace idm::authn
