// The token endpoint, RFC 6749 §3.2: POST /realms/{realm}/protocol/openid-connect/token.
// Grants: client_credentials (RFC 6749 §4.4). The request passes an ordered list of checks
// (token_request_checks.h), then the grant runs; every response is no-store (RFC 6749 §5.1) and
// every error is an RFC 6749 §5.2 JSON body. docs/design/005-tokens.md lists the order.
//
// Thread-safety: Handle is const and safe to call concurrently.
#pragma once

#include <string>

#include "idm/core/metrics.h"
#include "idm/http/web.h"
#include "idm/oauth/client_authentication.h"
#include "idm/oauth/error.h"
#include "idm/oauth/grants/client_credentials_grant.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"

namespace idm::oauth {

struct TokenEndpointDeps {
  realm::RealmService& realms;
  realm::ClientService& clients;
  const ClientCredentialsGrant& client_credentials;
  const core::Clock& clock;                               // when the request has no received_at
  core::metrics::CounterFamily* tokens_issued = nullptr;  // idm_tokens_issued_total{realm,grant}
};

class TokenEndpoint {
 public:
  explicit TokenEndpoint(TokenEndpointDeps deps) : deps_(deps) {}

  // Never fails: every outcome is a response. The realm comes from path_params["realm"].
  http::WebResponse Handle(const http::WebRequest& request) const;

 private:
  Result<TokenResponse> Run(const http::WebRequest& request, const core::Realm& realm,
                            std::string* grant_type) const;
  Result<core::Client> Authenticate(const core::Realm& realm, const ClientCredentials& creds) const;

  TokenEndpointDeps deps_;
};

// The enabled realm named `name`; not_found (404) when it is unknown or disabled.
Result<core::Realm> LoadEnabledRealm(realm::RealmService& realms, const std::string& name);

}  // namespace idm::oauth
