// OAuthEndpoints: the OAuth / OIDC endpoints of idm wired over their dependencies, and
// RegisterRoutes, which the composition root (idm/app) calls to put them on the HTTP router.
//
//   oauth::OAuthDeps deps{public_url, store, realms, clients, users, keys, random, clock,
//   &metrics}; oauth::OAuthEndpoints endpoints(deps); oauth::RegisterRoutes(router, endpoints);
//
// Routes:
//   GET  /realms/{realm}/.well-known/openid-configuration         OIDC Discovery §4
//   GET  /.well-known/oauth-authorization-server/realms/{realm}   RFC 8414 §3 (path insertion)
//   GET  /realms/{realm}/.well-known/oauth-authorization-server   RFC 8414 (in-realm alias)
//   GET  /realms/{realm}/protocol/openid-connect/certs            RFC 7517 §5 (JWKS)
//   POST /realms/{realm}/protocol/openid-connect/token            RFC 6749 §3.2
//   GET, POST /realms/{realm}/protocol/openid-connect/userinfo    OIDC Core §5.3
//   POST /realms/{realm}/clients-registrations                    RFC 7591 §3
//   GET, PUT, DELETE /realms/{realm}/clients-registrations/{client_id}  RFC 7592 §2
//   POST /realms/{realm}/protocol/openid-connect/token/introspect RFC 7662 §2
//   POST /realms/{realm}/protocol/openid-connect/revoke           RFC 7009 §2
//
// Thread-safety: construct and register once at start; the endpoints are then safe to call from
// any number of server threads. Every dependency must outlive the OAuthEndpoints.
#pragma once

#include <string>

#include "idm/account/user_service.h"
#include "idm/core/audit_sink.h"
#include "idm/core/clock.h"
#include "idm/core/metrics.h"
#include "idm/core/random.h"
#include "idm/http/router.h"
#include "idm/oauth/access_token_minter.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/client_authenticator.h"
#include "idm/oauth/discovery_endpoint.h"
#include "idm/oauth/grants/authorization_code_grant.h"
#include "idm/oauth/grants/client_credentials_grant.h"
#include "idm/oauth/grants/refresh_token_grant.h"
#include "idm/oauth/id_token.h"
#include "idm/oauth/jwks_endpoint.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/oauth/registration_endpoint.h"
#include "idm/oauth/token_endpoint.h"
#include "idm/oauth/token_inspection.h"
#include "idm/oauth/user_token_issuer.h"
#include "idm/oauth/userinfo_endpoint.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"

namespace idm::oauth {

struct OAuthDeps {
  std::string public_url;  // e.g. "https://id.example.com"
  store::Store& store;
  realm::RealmService& realms;
  realm::ClientService& clients;
  account::UserService& users;
  KeyService& keys;
  core::Random& random;
  const core::Clock& clock;
  core::metrics::Registry* metrics = nullptr;  // registers idm_tokens_issued_total when given
  // Kek::DeriveSecret("idm-pairwise-v1"): the key of pairwise subjects (SubjectFor in claims.h).
  std::string pairwise_secret;
  // What discovery advertises beyond the token and JWKS endpoints (the composition root turns on
  // authorization_endpoint when it serves the browser login, login_pages.h).
  DiscoveryOptions discovery;
  // Where the client_credentials grant records AccessTokenIssued (batched, asynchronous; the
  // composition root gives a realm::BatchedAuditWriter). nullptr: not audited.
  core::AuditSink* audit = nullptr;
};

class OAuthEndpoints {
 public:
  explicit OAuthEndpoints(OAuthDeps deps);
  OAuthEndpoints(const OAuthEndpoints&) = delete;
  OAuthEndpoints& operator=(const OAuthEndpoints&) = delete;

  DiscoveryEndpoint& discovery() { return discovery_; }
  const JwksEndpoint& jwks() const { return jwks_; }
  const TokenEndpoint& token() const { return token_; }
  const UserinfoEndpoint& userinfo() const { return userinfo_; }
  const RegistrationEndpoint& registration() const { return registration_; }
  realm::RegistrationService& registrations() { return registrations_; }
  const IntrospectionEndpoint& introspection() const { return introspection_; }
  const RevocationEndpoint& revocation() const { return revocation_; }

 private:
  AccessTokenMinter minter_;
  ClientCredentialsGrant client_credentials_;
  DiscoveryEndpoint discovery_;
  JwksEndpoint jwks_;
  ClientAuthenticator authenticator_;
  IdTokenMinter id_tokens_;
  UserTokenIssuer user_tokens_;
  AuthorizationCodeGrant authorization_code_;
  RefreshTokenGrant refresh_token_;
  AccessTokenVerifier verifier_;
  TokenEndpoint token_;
  UserinfoEndpoint userinfo_;
  realm::RegistrationService registrations_;
  RegistrationEndpoint registration_;
  IntrospectionEndpoint introspection_;
  RevocationEndpoint revocation_;
};

// Adds the routes listed above. `endpoints` must outlive the router's use.
void RegisterRoutes(http::Router& router, OAuthEndpoints& endpoints);

}  // namespace idm::oauth
