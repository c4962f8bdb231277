// Token introspection (RFC 7662) and revocation (RFC 7009):
//   POST /realms/{realm}/protocol/openid-connect/token/introspect
//   POST /realms/{realm}/protocol/openid-connect/revoke
// Both take a form-encoded `token` (and an optional `token_type_hint`, used only to choose which
// kind to look up first, RFC 7662 §2.1 / RFC 7009 §2.1) and authenticate the client with
// ClientAuthenticator: introspection requires a confidential client (RFC 7662 §2.1 "MUST require
// some form of authorization"), revocation also accepts a public client's client_id (RFC 7009
// §2.1). Client authentication failures are RFC 6749 §5.2 invalid_client (401).
//
// Introspection answers {"active": false} for anything it does not know as a live token of this
// realm: unknown, expired, tampered, rotated or revoked refresh tokens; access tokens that fail
// AccessTokenVerifier, belong to another realm, or whose SSO session (sid) was revoked or ended.
// Active tokens carry scope, client_id, sub, exp, iat, iss, token_type and (access tokens) jti,
// aud and sid.
//
// Revocation of a refresh token revokes its whole rotation family (RFC 7009 §2.1 "SHOULD also
// invalidate ... the same authorization grant") and writes RefreshTokenRevoked; a token of another
// client is left alone and the answer is still 200 (RFC 7009 §2.1), as it is for unknown tokens
// (§2.2). Access tokens are self-contained JWTs with no server-side record to revoke, so a live
// access token of this realm is answered unsupported_token_type (RFC 7009 §2.2.1); it expires
// within access_token_ttl_s, and revoking its refresh token stops new ones.
//
// Thread-safety: Handle is const and safe to call concurrently.
#pragma once

#include <optional>
#include <string>

#include "idm/core/clock.h"
#include "idm/core/json.h"
#include "idm/http/web.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/client_authenticator.h"
#include "idm/oauth/error.h"
#include "idm/oauth/user_token_issuer.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"

namespace idm::oauth {

struct TokenInspectionDeps {
  std::string public_url;
  realm::RealmService& realms;
  store::Store& store;
  const ClientAuthenticator& authenticator;
  const AccessTokenVerifier& verifier;
  const UserTokenIssuer& issuer;  // subjects and audit events
  const core::Clock& clock;       // when the request has no received_at
};

// RFC 7662 §2.
class IntrospectionEndpoint {
 public:
  explicit IntrospectionEndpoint(TokenInspectionDeps deps) : deps_(std::move(deps)) {}
  http::WebResponse Handle(const http::WebRequest& request) const;

 private:
  Result<core::Json> Introspect(const core::Realm& realm, const std::string& token,
                                const std::string& hint, core::UnixMillis now) const;
  // The RFC 7662 §2.2 body of a live refresh token, nullopt when it is not one.
  Result<std::optional<core::Json>> RefreshTokenInfo(const core::Realm& realm,
                                                     const std::string& token,
                                                     core::UnixMillis now) const;
  Result<std::optional<core::Json>> AccessTokenInfo(const core::Realm& realm,
                                                    const std::string& token,
                                                    core::UnixMillis now) const;

  TokenInspectionDeps deps_;
};

// RFC 7009 §2.
class RevocationEndpoint {
 public:
  explicit RevocationEndpoint(TokenInspectionDeps deps) : deps_(std::move(deps)) {}
  http::WebResponse Handle(const http::WebRequest& request) const;

 private:
  Status Revoke(const core::Realm& realm, const core::Client& client, const std::string& token,
                const core::OpContext& ctx) const;

  TokenInspectionDeps deps_;
};

}  // namespace idm::oauth
