// Bearer token usage (RFC 6750) for the protected resources idm serves itself (UserInfo, the
// client configuration endpoint of RFC 7592): reading the token from a request and answering
// with the RFC 6750 §3 WWW-Authenticate challenge.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "idm/core/result.h"
#include "idm/http/web.h"

namespace idm::oauth {

// RFC 6750 §3.1 error codes ("" = none: the request carried no credentials, §3.1 last
// paragraph).
enum class BearerErrorCode { kNone, kInvalidRequest, kInvalidToken, kInsufficientScope };

struct BearerError {
  BearerErrorCode code = BearerErrorCode::kInvalidToken;
  std::string description;  // error_description; never contains the token
  std::string scope;        // kInsufficientScope: the scope the resource needs
};

// The bearer token of `request`: from `Authorization: Bearer <token>` (RFC 6750 §2.1; scheme
// case-insensitive) or, when `allow_form_body`, from the access_token parameter of an
// application/x-www-form-urlencoded POST body (§2.2). nullopt when neither is present (an
// Authorization header of another scheme counts as absent). Errors (kInvalidRequest): a token in
// both places (§2: "MUST NOT use more than one method"), an empty token, a repeated parameter.
// The URI query method (§2.3) is not supported.
core::Result<std::optional<std::string>, BearerError> ReadBearerToken(
    const http::WebRequest& request, bool allow_form_body);

// The RFC 6750 §3 response: status 401 (kNone, kInvalidToken), 400 (kInvalidRequest) or 403
// (kInsufficientScope) with `WWW-Authenticate: Bearer realm="<realm>"` plus error,
// error_description and scope when set, a JSON body {error, error_description} when there is an
// error code, and Cache-Control: no-store.
http::WebResponse BearerErrorResponse(const BearerError& error, const std::string& realm);

}  // namespace idm::oauth
