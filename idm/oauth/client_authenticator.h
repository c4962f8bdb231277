// ClientAuthenticator: authenticates the client of a request to the token, introspection and
// revocation endpoints (RFC 6749 §2.3, RFC 7662 §2.1, RFC 7009 §2.1) — one piece so all three
// apply the same rules.
//
// Methods (client_authentication.h reads them from the request; the client's registered
// token_endpoint_auth_method decides which one it may use, CheckAuthMethodAllowed):
//  - client_secret_basic / client_secret_post: ClientService::Authenticate (constant time).
//  - private_key_jwt (RFC 7523 §2.2, §3; OIDC Core §9): the assertion's iss and sub are the
//    client_id (and equal a client_id form parameter when one is sent); aud is, or contains, the
//    realm's token endpoint URL or its issuer; exp is required, in the future (30 s leeway) and at
//    most kMaxAssertionLifetimeS ahead; jti is required and single use (store JtiRepo, kept until
//    exp); the signature is by a key of the client's registered JWK Set (`jwks`) with an
//    asymmetric alg (ES256, RS256, PS256, EdDSA) — "none", HS* and unknown kids are refused.
//    A client without `jwks` but with a `jwks_uri` (RFC 7591 §2) has its set fetched with
//    http::Client (GET, no redirects, 2 s connect / 3 s read timeouts, at most kMaxJwksBytes) and
//    cached per URI for kJwksCacheMs; a fetch failure is an authentication failure.
//  - none: a public client presents only its client_id; allowed only when the caller says so
//    (`allow_public`), so that endpoints and grants a public client may not use never accept it.
//
// Failures (oauth::Error): invalid_request for malformed or doubled credentials, invalid_client
// (401; with the Basic challenge when Basic was used) for every authentication failure — unknown
// client, wrong secret, disabled client, bad assertion — with one description so the answer does
// not tell which; temporarily_unavailable / server_error when the store fails.
//
// Thread-safety: Authenticate is const and safe to call concurrently (the jwks_uri cache is
// mutex-guarded).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "idm/core/model.h"
#include "idm/crypto/jwk.h"
#include "idm/http/web.h"
#include "idm/oauth/client_authentication.h"
#include "idm/oauth/error.h"
#include "idm/realm/client_service.h"
#include "idm/store/store.h"

namespace idm::oauth {

// The longest a client assertion may live from now (RFC 7523 §3 item 4 lets the server limit it):
// a short window bounds how long its jti must be remembered.
inline constexpr int64_t kMaxAssertionLifetimeS = 600;

// jwks_uri documents: how long a fetched set is used, and the largest accepted body.
inline constexpr int64_t kJwksCacheMs = 300'000;
inline constexpr size_t kMaxJwksBytes = 64 * 1024;

struct AuthenticatedClient {
  core::Client client;
  ClientAuthMethod method = ClientAuthMethod::kNone;
};

class ClientAuthenticator {
 public:
  ClientAuthenticator(std::string public_url, store::Store& store, realm::ClientService& clients)
      : public_url_(std::move(public_url)), store_(store), clients_(clients) {}

  // Authenticates the client of `request` (with its parsed form) in the enabled `realm` at `now`.
  Result<AuthenticatedClient> Authenticate(const core::Realm& realm,
                                           const http::WebRequest& request,
                                           const http::Params& form, core::UnixMillis now,
                                           bool allow_public) const;

 private:
  Result<core::Client> WithSecret(const core::Realm& realm, const ClientCredentials& creds) const;
  Result<core::Client> WithoutSecret(const core::Realm& realm,
                                     const ClientCredentials& creds) const;
  Result<core::Client> WithAssertion(const core::Realm& realm, const ClientCredentials& creds,
                                     core::UnixMillis now) const;
  // The client's keys: `jwks`, else the (cached) document at `jwks_uri`; empty when none.
  crypto::JwkSet ClientKeys(const core::Client& client, core::UnixMillis now) const;
  std::optional<crypto::JwkSet> FetchJwks(const std::string& uri, core::UnixMillis now) const;
  // Remembers the assertion's jti until its exp; invalid_client when it was used before.
  Status RememberJti(const core::Client& client, const std::string& jti, int64_t exp_s,
                     core::UnixMillis now) const;

  struct CachedJwks {
    crypto::JwkSet keys;
    core::UnixMillis fetched_at = 0;
  };

  std::string public_url_;
  store::Store& store_;
  realm::ClientService& clients_;
  mutable std::mutex mu_;
  mutable std::map<std::string, CachedJwks> jwks_cache_;  // by jwks_uri; guarded by mu_
};

}  // namespace idm::oauth
