// The authorization code grant at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core
// §3.1.3): an authenticated client redeems a code for an access token, an ID token (scope openid)
// and, when it may use the refresh_token grant, a refresh token.
//
// In one store transaction (CONVENTIONS.md §8): AuthorizationCodeRepo::Consume; then the checks —
// the code belongs to this realm and client, redirect_uri equals the one the code was issued for,
// PKCE (VerifyPkceForCode: S256 verifier required when the code has a challenge, refused when it
// has none; a public or require_pkce client's code must have one), the user exists and is
// enabled; then the tokens are minted, the refresh token inserted (family = the code's
// token_family_id) and AuthorizationCodeRedeemed written. A failed check rolls everything back,
// so the code stays redeemable by its rightful client.
//
// A code redeemed before (kAlreadyConsumed) is a replay (RFC 6749 §4.1.2, RFC 9700 §4.5): the
// tokens the first redemption issued are revoked (RefreshTokenRepo::RevokeFamily) and
// AuthorizationCodeReuseDetected is written and committed, and the request fails.
//
// Failures (oauth::Error): invalid_request (no code), invalid_grant (unknown, expired, replayed,
// another client's or realm's code, redirect_uri mismatch, PKCE failure, user gone or disabled),
// server_error / temporarily_unavailable.
//
// Thread-safety: safe to share between threads.
#pragma once

#include <string>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/oauth/error.h"
#include "idm/oauth/token_response.h"
#include "idm/oauth/user_token_issuer.h"
#include "idm/store/store.h"

namespace idm::oauth {

struct AuthorizationCodeParams {
  std::string code;
  std::string redirect_uri;   // "" when absent
  std::string code_verifier;  // "" when absent
};

class AuthorizationCodeGrant {
 public:
  AuthorizationCodeGrant(store::Store& store, const UserTokenIssuer& issuer)
      : store_(store), issuer_(issuer) {}

  // ctx.now is the request time; ctx.actor names the client for the audit events.
  Result<TokenResponse> Exchange(const core::Realm& realm, const core::Client& client,
                                 const AuthorizationCodeParams& params,
                                 const core::OpContext& ctx) const;

 private:
  // Revokes what the first redemption of `code` issued and records the replay; commits.
  Status RevokeReplayed(store::Transaction& tx, const core::AuthorizationCode& code,
                        const core::Client& client, const core::OpContext& ctx) const;
  // Mints and stores the tokens for a redeemed code.
  Result<TokenResponse> Issue(store::Transaction& tx, const RealmKeys& keys,
                              const core::Realm& realm, const core::Client& client,
                              const core::User& user, const core::AuthorizationCode& code,
                              const core::OpContext& ctx) const;

  store::Store& store_;
  const UserTokenIssuer& issuer_;
};

}  // namespace idm::oauth
