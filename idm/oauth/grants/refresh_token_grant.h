// The refresh token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2).
//
// In one store transaction: the presented token (by hash) must belong to this realm and client
// (else invalid_grant, and nothing changes); RefreshTokenRepo::Rotate replaces it with a new token
// of the same family (the family's absolute expiry never moves). Then: a requested scope may only
// narrow the token's scope (RFC 6749 §6, invalid_scope); the user must exist and be enabled; a
// token that is not offline (OIDC Core §11) dies with its SSO session — a revoked, expired or
// deleted session is invalid_grant. A new access token, a new ID token when the scope has openid
// (OIDC Core §12.2: same sub, auth_time of the session, no nonce) and the new refresh token are
// returned; RefreshTokenRotated is written.
//
// A token rotated before (kAlreadyRotated) is reuse: the whole family is revoked,
// RefreshTokenReuseDetected is written and committed, and the request fails. Revoked or expired
// tokens are invalid_grant.
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

class RefreshTokenGrant {
 public:
  RefreshTokenGrant(store::Store& store, const UserTokenIssuer& issuer)
      : store_(store), issuer_(issuer) {}

  // `refresh_token` and `requested_scope` ("" = the token's scope) as sent; ctx.now the request
  // time.
  Result<TokenResponse> Exchange(const core::Realm& realm, const core::Client& client,
                                 const std::string& refresh_token,
                                 const std::string& requested_scope,
                                 const core::OpContext& ctx) const;

 private:
  Status RevokeReused(store::Transaction& tx, const core::RefreshToken& token,
                      const core::Client& client, const core::OpContext& ctx) const;
  // The grant's context after the scope, user and session checks.
  Status Prepare(store::Transaction& tx, const core::RefreshToken& token,
                 const std::string& requested_scope, core::UnixMillis now, UserGrantContext* g,
                 core::User* user, core::SsoSession* session) const;

  store::Store& store_;
  const UserTokenIssuer& issuer_;
};

}  // namespace idm::oauth
