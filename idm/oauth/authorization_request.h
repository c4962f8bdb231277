// AuthorizationRequest: an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) parsed and
// validated against the client that the caller already loaded — the authorization endpoint's
// ordered list of checks (CONVENTIONS.md "Endpoints and flows" 2), with no store access.
//
// The endpoint runs:
//   1. ReadClientId(params)                 -> the client_id to load (errors never redirect)
//   2. load the client; unknown -> UnknownClientError() (never redirects)
//   3. ParseAuthorizationRequest(params, client, require_pkce)
// and on error either renders an error page (!redirectable) or sends the error to the redirect
// URI (authorization_response.h).
//
// Only response_type=code is supported (RFC 9700 §2.1.2: no implicit grant); response_mode query
// or form_post; PKCE with S256 only (RFC 7636 §4.3, RFC 9700 §2.1.1), required for public
// clients and for confidential clients that the caller says require it; the `request` and
// `request_uri` parameters are refused (OIDC Core §6; request_not_supported /
// request_uri_not_supported).
//
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/http/web.h"
#include "idm/oauth/authorization_error.h"

namespace idm::oauth {

// The OIDC Core §3.1.2.1 prompt values that were requested.
struct Prompt {
  bool none = false;
  bool login = false;
  bool consent = false;
  bool select_account = false;
};

struct AuthorizationRequest {
  std::string client_id;
  // The registered redirect URI the request matched, and the URI as the request sent it (they
  // differ only in a loopback port, RFC 8252 §7.3). Redirect to `redirect_uri`; the token request
  // must repeat it exactly (RFC 6749 §4.1.3) when `redirect_uri_in_request`.
  std::string registered_redirect_uri;
  std::string redirect_uri;
  bool redirect_uri_in_request = false;
  ResponseMode response_mode = ResponseMode::kQuery;
  std::vector<std::string> scope;  // requested scope tokens, request order, no duplicates
  bool openid = false;             // scope contains "openid": an OpenID Connect request
  std::string state;               // "" when absent
  std::string nonce;               // "" when absent
  Prompt prompt;
  std::optional<int64_t> max_age;  // seconds (OIDC Core §3.1.2.1)
  std::string login_hint;
  std::string id_token_hint;            // not verified here: IdTokenHintSubject (id_token_hint.h)
  std::vector<std::string> ui_locales;  // BCP47 tags in preference order
  std::vector<std::string> acr_values;  // in preference order
  std::vector<std::string> essential_acr;  // OIDC Core §5.5.1.1 claims.id_token.acr, essential
  std::string code_challenge;           // "" when the client sent none
  std::string code_challenge_method;    // "S256" when code_challenge is set
};

// Step 1: the client_id parameter. Errors (never redirected): missing, empty or repeated.
AuthzResult<std::string> ReadClientId(const http::Params& params);

// Step 2's error: no enabled client with that client_id. Never redirected (RFC 6749 §4.1.2.1).
AuthorizationError UnknownClientError();

// Step 3. `params` are the query (GET) or form (POST) parameters. `require_pkce` applies to
// confidential clients; public clients always need PKCE. Errors are non-redirectable until the
// redirect URI is established (client mismatch or disabled, redirect_uri missing when required,
// repeated or unregistered), redirectable afterwards.
AuthzResult<AuthorizationRequest> ParseAuthorizationRequest(const http::Params& params,
                                                            const core::Client& client,
                                                            bool require_pkce);
// Step 3 with the client's own setting (core::Client::require_pkce, on by default).
AuthzResult<AuthorizationRequest> ParseAuthorizationRequest(const http::Params& params,
                                                            const core::Client& client);

}  // namespace idm::oauth
