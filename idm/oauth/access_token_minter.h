// AccessTokenMinter: builds and signs RFC 9068 JWT access tokens (header typ "at+jwt", kid) with
// the realm's active key of its default algorithm. The claim set is documented in
// docs/design/005-tokens.md.
//
// Failures are core::ServiceError from KeyService (kUnavailable, kInternal) or kInternal when
// signing fails.
//
// Thread-safety: safe to share between threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/oauth/keys/key_service.h"

namespace idm::oauth {

// What the token says about whom.
struct AccessTokenRequest {
  std::string subject;                                           // sub
  std::string client_id;                                         // client_id
  std::vector<std::string> scope;                                // granted scope tokens
  std::vector<std::string> realm_roles;                          // realm_access.roles
  std::map<std::string, std::vector<std::string>> client_roles;  // resource_access
  std::string session_id;  // sid: the SSO session of a user grant; "" leaves it out
  // Claims of the client's scope mappers (UserClaims, kAccessToken); the claims above win.
  core::Json extra_claims = core::Json::object();
  // Lifetime in seconds; 0 = the realm's access_token_ttl_s. Grants set the client's
  // access_token_ttl_s here (AccessTokenLifetimeOf), so a per-client lifetime applies to every
  // access token of that client (docs/design/014).
  int64_t lifetime_s = 0;
};

// The lifetime, in seconds, of an access token of `request` issued by `realm`.
int64_t AccessTokenLifetimeOf(const core::Realm& realm, const AccessTokenRequest& request);

struct IssuedAccessToken {
  std::string token;  // the compact JWS
  std::string jti;
  std::string kid;
  int64_t expires_in = 0;  // seconds
};

class AccessTokenMinter {
 public:
  AccessTokenMinter(std::string public_url, KeyService& keys, core::Random& random);

  // Signs a token for `request` issued by `realm` at `now` that lives
  // AccessTokenLifetimeOf(realm, request) seconds.
  core::ServiceResult<IssuedAccessToken> Mint(const core::Realm& realm,
                                              const AccessTokenRequest& request,
                                              core::UnixMillis now) const;

  // As Mint, with the realm's keys already loaded by the caller — for callers that sign while
  // holding a store transaction (KeyService may need the store to load keys). kInternal when the
  // realm has no active key of its default alg or signing fails.
  core::ServiceResult<IssuedAccessToken> MintWith(const RealmKeys& keys, const core::Realm& realm,
                                                  const AccessTokenRequest& request,
                                                  core::UnixMillis now) const;

  // The claim set Mint signs, as JSON text (a JSON object): the protocol claims, then the
  // request's extra_claims except those of the protocol claims' names.
  std::string Claims(const core::Realm& realm, const AccessTokenRequest& request,
                    core::UnixSeconds iat, const std::string& jti) const;

 private:
  std::string public_url_;
  KeyService& keys_;
  core::Random& random_;
};

}  // namespace idm::oauth
