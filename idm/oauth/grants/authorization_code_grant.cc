// RFC 6749 §4.1.3 Access Token Request with an authorization code; RFC 7636 §4.6; OIDC Core
// §3.1.3.
#include "idm/oauth/grants/authorization_code_grant.h"

#include "idm/core/log.h"
#include "idm/crypto/secret.h"
#include "idm/oauth/grants/grant_support.h"
#include "idm/oauth/pkce.h"
#include "idm/oauth/scope.h"
#include "idm/realm/service_support.h"

namespace idm::oauth {
namespace {

// RFC 6749 §4.1.3: the code was issued to this client (and in this realm).
Status CheckCodeBinding(const core::AuthorizationCode& code, const core::Realm& realm,
                        const core::Client& client) {
  if (code.realm_id != realm.id || code.client_id != client.id) {
    return InvalidGrant("the authorization code was not issued to this client");
  }
  return {};
}

// RFC 6749 §4.1.3: redirect_uri must be identical to the one of the authorization request. The
// code stores the URI the request named ("" when the request left it out, §4.1.1).
Status CheckCodeRedirectUri(const core::AuthorizationCode& code, const std::string& redirect_uri) {
  if (code.redirect_uri != redirect_uri) {
    return InvalidGrant("redirect_uri does not match the authorization request");
  }
  return {};
}

// RFC 7636 §4.6 and RFC 9700 §2.1.1: the verifier must match the code's S256 challenge; a code
// without a challenge takes no verifier, and a public or require_pkce client's code must have one
// (the authorization endpoint should never have issued it otherwise).
Status CheckCodePkce(const core::AuthorizationCode& code, const core::Client& client,
                     const std::string& verifier) {
  bool pkce_required = client.type == core::ClientType::kPublic || client.require_pkce;
  if (code.code_challenge.empty() && pkce_required) {
    return InvalidGrant("the authorization code was issued without PKCE");
  }
  if (!code.code_challenge.empty() && code.code_challenge_method != kPkceMethodS256) {
    return InvalidGrant("unsupported code_challenge_method");
  }
  return VerifyPkceForCode(code.code_challenge, verifier);
}

}  // namespace

Status AuthorizationCodeGrant::RevokeReplayed(store::Transaction& tx,
                                              const core::AuthorizationCode& code,
                                              const core::Client& client,
                                              const core::OpContext& ctx) const {
  int64_t revoked = 0;
  if (!code.token_family_id.empty()) {
    store::Result<int64_t> n = tx.refresh_tokens().RevokeFamily(code.token_family_id, ctx.now);
    if (!n) return StoreFailure(n.error(), "revoke token family");
    revoked = *n;
  }
  core::log::Warn("oauth: authorization code replayed",
                  {{"client_id", client.client_id}, {"family_id", code.token_family_id}});
  IDM_TRY(AppendTokenEvent(tx, issuer_.random(), ctx, code.realm_id,
                           "AuthorizationCodeReuseDetected", "token_family", code.token_family_id,
                           {{"client_id", client.client_id},
                            {"user_id", code.user_id},
                            {"session_id", code.session_id},
                            {"revoked_refresh_tokens", revoked}}));
  return CommitOrFail(tx);
}

Result<TokenResponse> AuthorizationCodeGrant::Issue(store::Transaction& tx, const RealmKeys& keys,
                                                    const core::Realm& realm,
                                                    const core::Client& client,
                                                    const core::User& user,
                                                    const core::AuthorizationCode& code,
                                                    const core::OpContext& ctx) const {
  UserGrantContext g;
  g.realm = &realm;
  g.client = &client;
  g.user = &user;
  IDM_ASSIGN_OR_RETURN(g.scope, ParseScope(code.scope));
  g.session_id = code.session_id;
  g.auth_time = code.auth_time;
  g.acr = code.acr;
  g.amr = code.amr;
  g.nonce = code.nonce;
  TokenResponse response;
  std::string jti;
  IDM_TRY(issuer_.Issue(tx, keys, g, ctx.now, &response, &jti));
  std::string family_id = code.token_family_id;
  if (ClientHasGrant(client, kGrantRefreshToken)) {
    if (family_id.empty()) family_id = core::NewUuid(issuer_.random());
    NewRefreshToken refresh = issuer_.NewRefresh(g, family_id, ctx.now);
    if (auto s = tx.refresh_tokens().Insert(refresh.row); !s) {
      return StoreFailure(s.error(), "insert refresh token");
    }
    response.refresh_token = std::move(refresh.secret);
  }
  IDM_TRY(AppendTokenEvent(tx, issuer_.random(), ctx, realm.id, "AuthorizationCodeRedeemed", "user",
                           user.id,
                           {{"client_id", client.client_id},
                            {"scope", response.scope},
                            {"session_id", code.session_id},
                            {"jti", jti},
                            {"refresh_token_issued", !response.refresh_token.empty()},
                            {"family_id", response.refresh_token.empty() ? "" : family_id}}));
  IDM_TRY(CommitOrFail(tx));
  return response;
}

Result<TokenResponse> AuthorizationCodeGrant::Exchange(const core::Realm& realm,
                                                       const core::Client& client,
                                                       const AuthorizationCodeParams& params,
                                                       const core::OpContext& ctx) const {
  if (params.code.empty()) return InvalidRequest("code is required");  // RFC 6749 §4.1.3
  // Keys first: loading them may need the store's writer, which the transaction will hold.
  IDM_ASSIGN_OR_RETURN(std::shared_ptr<const RealmKeys> keys, issuer_.Keys(realm));
  IDM_ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx, BeginWrite(store_));
  store::Result<store::CodeConsumption> consumed =
      tx->codes().Consume(crypto::HashSecret(params.code), ctx.now);
  if (!consumed) {
    if (consumed.error().code == store::ErrorCode::kNotFound) {
      return InvalidGrant("the authorization code is invalid");
    }
    return StoreFailure(consumed.error(), "consume authorization code");
  }
  const core::AuthorizationCode& code = consumed->code;
  switch (consumed->outcome) {
    case store::CodeOutcome::kExpired:
      return InvalidGrant("the authorization code has expired");
    case store::CodeOutcome::kAlreadyConsumed:
      if (code.realm_id != realm.id) return InvalidGrant("the authorization code is invalid");
      IDM_TRY(RevokeReplayed(*tx, code, client, ctx));
      return InvalidGrant("the authorization code was already used");
    case store::CodeOutcome::kConsumed:
      break;
  }
  IDM_TRY(CheckCodeBinding(code, realm, client));
  IDM_TRY(CheckCodeRedirectUri(code, params.redirect_uri));
  IDM_TRY(CheckCodePkce(code, client, params.code_verifier));
  IDM_ASSIGN_OR_RETURN(core::User user, LoadActiveUser(*tx, realm.id, code.user_id));
  return Issue(*tx, *keys, realm, client, user, code, ctx);
}

}  // namespace idm::oauth
