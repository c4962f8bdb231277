// The token endpoint, RFC 6749 §3.2: POST /realms/{realm}/protocol/openid-connect/token.
// Grants: client_credentials (RFC 6749 §4.4), authorization_code (§4.1.3) and refresh_token (§6).
// Clients authenticate through ClientAuthenticator (client_authenticator.h); a public client
// ("none") only for the authorization_code and refresh_token grants. The request passes an
// ordered list of checks
// (token_request_checks.h), then the grant runs; every response is no-store (RFC 6749 §5.1) and
// every error is an RFC 6749 §5.2 JSON body. docs/design/005-tokens.md lists the order.
//
// Thread-safety: Handle is const and safe to call concurrently.
#pragma once

#include <string>

#include "idm/core/metrics.h"
#include "idm/http/web.h"
#include "idm/oauth/client_authentication.h"
#include "idm/oauth/client_authenticator.h"
#include "idm/oauth/error.h"
#include "idm/oauth/grants/authorization_code_grant.h"
#include "idm/oauth/grants/client_credentials_grant.h"
#include "idm/oauth/grants/refresh_token_grant.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"

namespace idm::oauth {

struct TokenEndpointDeps {
  realm::RealmService& realms;
  realm::ClientService& clients;
  const ClientCredentialsGrant& client_credentials;
  const core::Clock& clock;                               // when the request has no received_at
  core::metrics::CounterFamily* tokens_issued = nullptr;  // idm_tokens_issued_total{realm,grant}
  const ClientAuthenticator* authenticator = nullptr;     // required
  const AuthorizationCodeGrant* authorization_code = nullptr;  // nullptr: grant not offered
  const RefreshTokenGrant* refresh_token = nullptr;            // nullptr: grant not offered
};

class TokenEndpoint {
 public:
  explicit TokenEndpoint(TokenEndpointDeps deps) : deps_(deps) {}

  // Never fails: every outcome is a response. The realm comes from path_params["realm"].
  http::WebResponse Handle(const http::WebRequest& request) const;

 private:
  Result<TokenResponse> Run(const http::WebRequest& request, const core::Realm& realm,
                            std::string* grant_type) const;
  // Runs the grant named grant_type for the authenticated client.
  Result<TokenResponse> RunGrant(const std::string& grant_type, const http::Params& form,
                                 const core::Realm& realm, const core::Client& client,
                                 const core::OpContext& ctx) const;
  bool Supported(const std::string& grant_type) const;

  TokenEndpointDeps deps_;
};

// The enabled realm named `name`; not_found (404) when it is unknown or disabled.
Result<core::Realm> LoadEnabledRealm(realm::RealmService& realms, const std::string& name);

}  // namespace idm::oauth
