// The single-parameter checks of an authorization request (RFC 6749 §4.1.1, OIDC Core
// §3.1.2.1, RFC 7636 §4.3), each a pure function used by ParseAuthorizationRequest
// (authorization_request.h). Errors carry only a code and a description; the caller makes them
// redirectable.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/model.h"
#include "idm/oauth/authorization_request.h"

namespace idm::oauth {

// The first value of `name`, nullopt when absent. An empty value counts as absent (RFC 6749 §3.1:
// "Parameters sent without a value MUST be treated as if they were omitted").
std::optional<std::string> Param(const http::Params& params, const std::string& name);

// RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once." The name
// of the first repeated parameter, or nullopt.
std::optional<std::string> RepeatedParam(const http::Params& params);

// response_mode: absent or "query" -> kQuery, "form_post" -> kFormPost (OAuth 2.0 Form Post
// Response Mode §2); anything else (including "fragment", which code flow must not use) is
// invalid_request.
AuthzResult<ResponseMode> ParseResponseMode(const std::optional<std::string>& value);

// response_type: required (invalid_request); only "code" (unsupported_response_type otherwise);
// the client must have the authorization_code grant (unauthorized_client).
core::Result<void, AuthorizationError> CheckResponseType(const std::optional<std::string>& value,
                                                         const core::Client& client);

// scope: RFC 6749 §3.3 syntax and every token among the client's scopes (invalid_scope).
AuthzResult<std::vector<std::string>> CheckScope(const std::optional<std::string>& value,
                                                 const core::Client& client);

// prompt: space-delimited none / login / consent / select_account; an unknown value or "none"
// with any other value is invalid_request (OIDC Core §3.1.2.1).
AuthzResult<Prompt> ParsePrompt(const std::optional<std::string>& value);

// max_age: a non-negative integer number of seconds (OIDC Core §3.1.2.1), at most 10 digits.
AuthzResult<std::optional<int64_t>> ParseMaxAge(const std::optional<std::string>& value);

// OIDC Core §5.5: the `claims` parameter, a JSON object. Returns the values of
// id_token.acr when it is requested with "essential": true (§5.5.1.1; "value" or "values"), else
// an empty list; other requested claims are accepted and not acted on. invalid_request for text
// that is not a JSON object or an acr request of the wrong shape.
AuthzResult<std::vector<std::string>> ParseEssentialAcr(const std::optional<std::string>& claims);

// A space-delimited list (ui_locales, acr_values); invalid_request for empty entries.
AuthzResult<std::vector<std::string>> ParseSpaceList(const std::optional<std::string>& value,
                                                     const char* name);

// RFC 7636 §4.3 / §4.4.1: code_challenge_method without a challenge, a missing method (which
// means "plain", §4.3), any method but S256, a malformed S256 challenge, and no challenge when
// PKCE is required are all invalid_request.
core::Result<void, AuthorizationError> CheckPkceParams(const std::optional<std::string>& challenge,
                                                       const std::optional<std::string>& method,
                                                       bool pkce_required);

}  // namespace idm::oauth
