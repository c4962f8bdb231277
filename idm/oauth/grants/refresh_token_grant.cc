// RFC 6749 §6 Refreshing an Access Token; RFC 9700 §4.14.2 rotation; OIDC Core §11, §12.
#include "idm/oauth/grants/refresh_token_grant.h"

#include "idm/core/log.h"
#include "idm/crypto/secret.h"
#include "idm/oauth/grants/grant_support.h"
#include "idm/oauth/scope.h"

namespace idm::oauth {
namespace {

// RFC 6749 §6: the requested scope "MUST NOT include any scope not originally granted"; omitted
// means the original scope.
Result<std::vector<std::string>> NarrowScope(const std::string& requested,
                                             const std::vector<std::string>& granted) {
  if (requested.empty()) return granted;
  return GrantScope(requested, granted);
}

// OIDC Core §11: a token that is not offline stops working with its SSO session.
Status CheckSession(store::Transaction& tx, const core::RefreshToken& token, core::UnixMillis now,
                    core::SsoSession* session) {
  if (token.session_id.empty()) return {};
  store::Result<core::SsoSession> s = tx.sessions().Get(token.realm_id, token.session_id);
  if (!s) {
    if (s.error().code != store::ErrorCode::kNotFound) return StoreFailure(s.error(), "session");
    if (token.offline) return {};
    return InvalidGrant("the session of this refresh token has ended");
  }
  bool ended = s->revoked_at != 0 || s->idle_expires_at <= now || s->absolute_expires_at <= now;
  if (ended && !token.offline) return InvalidGrant("the session of this refresh token has ended");
  if (!ended) *session = std::move(*s);
  return {};
}

// A refresh is activity in the SSO session: its idle expiry slides (never past the absolute one,
// SessionRepo::Touch), so an app that keeps refreshing keeps its session, as the browser would.
Status TouchSession(store::Transaction& tx, const core::Realm& realm,
                    const core::SsoSession& session, core::UnixMillis now) {
  if (session.id.empty()) return {};  // no live session (offline token or none)
  store::Status s =
      tx.sessions().Touch(session.id, now, now + realm.settings.sso_session_idle_s * 1000);
  if (!s && s.error().code != store::ErrorCode::kNotFound)
    return StoreFailure(s.error(), "session");
  return {};
}

}  // namespace

Status RefreshTokenGrant::RevokeReused(store::Transaction& tx, const core::RefreshToken& token,
                                       const core::Client& client,
                                       const core::OpContext& ctx) const {
  store::Result<int64_t> n = tx.refresh_tokens().RevokeFamily(token.family_id, ctx.now);
  if (!n) return StoreFailure(n.error(), "revoke token family");
  core::log::Warn("oauth: refresh token reused",
                  {{"client_id", client.client_id}, {"family_id", token.family_id}});
  IDM_TRY(AppendTokenEvent(tx, issuer_.random(), ctx, token.realm_id, "RefreshTokenReuseDetected",
                           "token_family", token.family_id,
                           {{"client_id", client.client_id},
                            {"user_id", token.user_id},
                            {"session_id", token.session_id},
                            {"revoked_refresh_tokens", *n}}));
  return CommitOrFail(tx);
}

Status RefreshTokenGrant::Prepare(store::Transaction& tx, const core::RefreshToken& token,
                                  const std::string& requested_scope, core::UnixMillis now,
                                  UserGrantContext* g, core::User* user,
                                  core::SsoSession* session) const {
  IDM_ASSIGN_OR_RETURN(std::vector<std::string> granted, ParseScope(token.scope));
  IDM_ASSIGN_OR_RETURN(g->scope, NarrowScope(requested_scope, granted));
  IDM_ASSIGN_OR_RETURN(*user, LoadActiveUser(tx, token.realm_id, token.user_id));
  IDM_TRY(CheckSession(tx, token, now, session));
  g->user = user;
  g->session_id = token.session_id;
  // OIDC Core §12.2: the new ID token's auth_time is "the time of the original authentication",
  // and "otherwise, the same rules apply as apply when issuing an ID Token at the time of the
  // original authentication" — so acr and amr are those of that authentication too, as the
  // token row recorded them from the authorization code. Not the session's: a step-up of the
  // session after this grant is not an authentication the grant came from, and an offline
  // token's session may be gone. Tokens stored before migration 0008 (auth_time 0) have only
  // the session's values.
  if (token.auth_time != 0) {
    g->auth_time = token.auth_time;
    g->acr = token.acr;
    g->amr = token.amr;
  } else {
    g->auth_time = session->auth_time;
    g->acr = session->acr;
    g->amr = session->amr;
  }
  return {};
}

Result<TokenResponse> RefreshTokenGrant::Exchange(const core::Realm& realm,
                                                  const core::Client& client,
                                                  const std::string& refresh_token,
                                                  const std::string& requested_scope,
                                                  const core::OpContext& ctx) const {
  if (refresh_token.empty()) return InvalidRequest("refresh_token is required");  // RFC 6749 §6
  std::string hash = crypto::HashSecret(refresh_token);
  // Keys first: loading them may need the store's writer, which the transaction will hold.
  IDM_ASSIGN_OR_RETURN(std::shared_ptr<const RealmKeys> keys, issuer_.Keys(realm));
  IDM_ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx, BeginWrite(store_));
  store::Result<core::RefreshToken> stored = tx->refresh_tokens().GetByHash(hash);
  if (!stored) {
    if (stored.error().code == store::ErrorCode::kNotFound) {
      return InvalidGrant("the refresh token is invalid");
    }
    return StoreFailure(stored.error(), "refresh token");
  }
  // RFC 6749 §6: the token must have been issued to the authenticated client.
  if (stored->realm_id != realm.id || stored->client_id != client.id) {
    return InvalidGrant("the refresh token was not issued to this client");
  }
  UserGrantContext g;
  g.realm = &realm;
  g.client = &client;
  core::User user;
  core::SsoSession session;
  if (stored->rotated_at == 0 && stored->revoked_at == 0) {
    IDM_TRY(Prepare(*tx, *stored, requested_scope, ctx.now, &g, &user, &session));
  } else {
    g.user = &user;  // Rotate reports why it fails; nothing is issued
    g.session_id = stored->session_id;
  }
  NewRefreshToken next = issuer_.NewRefresh(g, stored->family_id, ctx.now);
  // RFC 6749 §6: the new refresh token has exactly the old one's scope, even when the access
  // token's scope was narrowed; offline-ness belongs to the family too.
  next.row.scope = stored->scope;
  next.row.offline = stored->offline;
  next.row.expires_at = ctx.now + RefreshLifetimes(realm, client, stored->offline).first * 1000;
  store::Result<store::Rotation> rotation = tx->refresh_tokens().Rotate(hash, next.row, ctx.now);
  if (!rotation) return StoreFailure(rotation.error(), "rotate refresh token");
  switch (rotation->outcome) {
    case store::RotateOutcome::kAlreadyRotated:
      IDM_TRY(RevokeReused(*tx, rotation->old_token, client, ctx));
      return InvalidGrant("the refresh token was already used");
    case store::RotateOutcome::kRevoked:
      return InvalidGrant("the refresh token has been revoked");
    case store::RotateOutcome::kExpired:
      return InvalidGrant("the refresh token has expired");
    case store::RotateOutcome::kRotated:
      break;
  }
  IDM_TRY(TouchSession(*tx, realm, session, ctx.now));
  TokenResponse response;
  std::string jti;
  IDM_TRY(issuer_.Issue(*tx, *keys, g, ctx.now, &response, &jti));
  response.refresh_token = std::move(next.secret);
  IDM_TRY(AppendTokenEvent(*tx, issuer_.random(), ctx, realm.id, "RefreshTokenRotated", "user",
                           user.id,
                           {{"client_id", client.client_id},
                            {"scope", response.scope},
                            {"family_id", stored->family_id},
                            {"session_id", stored->session_id},
                            {"jti", jti}}));
  IDM_TRY(CommitOrFail(*tx));
  return response;
}

}  // namespace idm::oauth
