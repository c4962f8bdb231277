// Responses of the token endpoint: the RFC 6749 §5.1 success body and the §5.2 error body, both
// with `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1). This is the one place an
// oauth::Error becomes HTTP.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "idm/http/web.h"
#include "idm/oauth/error.h"

namespace idm::oauth {

// A successful token response (RFC 6749 §5.1). `scope`, `refresh_token` and `id_token` (OIDC Core
// §3.1.3.3) are omitted when empty.
struct TokenResponse {
  std::string access_token;
  std::string token_type = "Bearer";
  int64_t expires_in = 0;
  std::string scope;
  std::string refresh_token;
  std::string id_token;
};

http::WebResponse TokenSuccess(const TokenResponse& token);

// {error, error_description} with the status of HttpStatus(error.code); invalid_client after an
// attempted HTTP Basic authentication adds `WWW-Authenticate: Basic realm="<realm>"`
// (RFC 6749 §5.2). `realm` is the idm realm name, used as the Basic auth realm.
http::WebResponse TokenError(const Error& error, const std::string& realm);

}  // namespace idm::oauth
