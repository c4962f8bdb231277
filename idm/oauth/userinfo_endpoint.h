// UserInfo endpoint (OpenID Connect Core 1.0 §5.3):
//   GET and POST /realms/{realm}/protocol/openid-connect/userinfo
//
// The request carries an RFC 9068 access token of the realm as a bearer token, in the
// Authorization header (RFC 6750 §2.1) or, for POST, in the form body (§2.2) — not both. Checks,
// in order, each answered per RFC 6750 §3 (OIDC Core §5.3.3):
//   1. a token was sent (401 without error code, §3.1), in one way only (400 invalid_request);
//   2. AccessTokenVerifier accepts it (typ at+jwt, signature by a key of its realm, not expired)
//      and its issuer is this realm (401 invalid_token; 503 when the store is down);
//   3. its scope contains openid (403 insufficient_scope, scope="openid"; OIDC Core §5.3.1);
//   4. the client (client_id claim) still exists and is enabled, and the user (sub, the user's
//      id: access tokens carry the realm's own subject, see docs/design/015) exists and is
//      enabled (401 invalid_token otherwise). Read through a DirectoryCache (design 021): a
//      change made on this node is seen by the next request, one made on another within 1 s.
// The response (§5.3.2) is a JSON object: `sub` as the client sees it (oauth::SubjectFor: public
// or pairwise, as in the client's ID tokens) and UserClaims(..., ClaimTarget::kUserinfo) — the
// standard claims of the granted scopes and the client's scope mappers. Cache-Control: no-store.
// Signed or encrypted UserInfo responses are not offered.
//
// Thread-safety: Handle is safe to call concurrently.
#pragma once

#include <memory>
#include <string>

#include "idm/core/clock.h"
#include "idm/http/web.h"
#include "idm/store/store.h"

namespace idm::oauth {

// Declared, not included, to keep routes.h light.
class AccessTokenVerifier;
class KeyService;
struct UserinfoSubjects;

class UserinfoEndpoint {
 public:
  // Verifies tokens with its own AccessTokenVerifier (any audience: every access token of the
  // realm may read UserInfo when it was granted openid). pairwise_secret:
  // Kek::DeriveSecret("idm-pairwise-v1") (OAuthDeps::pairwise_secret).
  UserinfoEndpoint(const std::string& public_url, store::Store& store, KeyService& keys,
                   const core::Clock& clock, std::string pairwise_secret);
  ~UserinfoEndpoint();
  UserinfoEndpoint(const UserinfoEndpoint&) = delete;
  UserinfoEndpoint& operator=(const UserinfoEndpoint&) = delete;

  http::WebResponse Handle(const http::WebRequest& request) const;

 private:
  store::Store& store_;
  std::unique_ptr<AccessTokenVerifier> verifier_;
  std::unique_ptr<UserinfoSubjects> subjects_;
  std::string pairwise_secret_;
};

}  // namespace idm::oauth
