// The authorization response (RFC 6749 §4.1.2) and error response (§4.1.2.1) in the two response
// modes idm supports:
//  - query: the parameters appended to the redirect URI's query, keeping the query the client
//    registered (RFC 6749 §3.1.2: "MUST retain" it); the endpoint answers 302 with Location.
//  - form_post (OAuth 2.0 Form Post Response Mode §2): the same parameters as form fields that a
//    page auto-submits to the redirect URI with POST; the pages helper renders the HTML.
// Every response carries `iss` (RFC 9207 §2, against mix-up attacks) and `state` when the request
// had one. error_description is reduced to the characters RFC 6749 §4.1.2.1 allows.
//
// Thread-safety: pure functions and value types.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "idm/oauth/authorization_error.h"

namespace idm::oauth {

using ResponseFields = std::vector<std::pair<std::string, std::string>>;

struct AuthorizationResponse {
  ResponseMode mode = ResponseMode::kQuery;
  // kQuery: the complete Location URL. kFormPost: the form's action (the redirect URI as is).
  std::string location;
  ResponseFields fields;  // the response parameters, in order (form_post renders these)
};

// code, state (if any), iss.
AuthorizationResponse SuccessResponse(std::string_view redirect_uri, ResponseMode mode,
                                      std::string_view code, std::string_view state,
                                      std::string_view issuer);

// error, error_description (if any), state (if any), iss. For a non-redirectable error the result
// is empty (no location, no fields): the caller renders an error page instead.
AuthorizationResponse ErrorResponse(const AuthorizationError& error, std::string_view issuer);

// `uri` with `fields` added to its query (after any existing query, before any fragment), each
// name and value percent-encoded (RFC 3986 §2.1; everything but unreserved characters).
std::string AppendQuery(std::string_view uri, const ResponseFields& fields);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text);

// RFC 6749 §4.1.2.1: error_description is %x20-21 / %x23-5B / %x5D-7E; other bytes (quotes,
// backslashes, control and non-ASCII bytes) are dropped, and the text is cut to 200 characters.
std::string SafeErrorDescription(std::string_view text);

}  // namespace idm::oauth
