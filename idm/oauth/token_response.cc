// RFC 6749 §5.1 / §5.2 token endpoint responses.
#include "idm/oauth/token_response.h"

#include "idm/core/json.h"

namespace idm::oauth {
namespace {

http::WebResponse TokenNoStore(http::WebResponse r) {
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

}  // namespace

http::WebResponse TokenSuccess(const TokenResponse& token) {
  core::Json body = {{"access_token", token.access_token},
                     {"token_type", token.token_type},
                     {"expires_in", token.expires_in}};
  if (!token.scope.empty()) body["scope"] = token.scope;
  if (!token.refresh_token.empty()) body["refresh_token"] = token.refresh_token;
  if (!token.id_token.empty()) body["id_token"] = token.id_token;
  return TokenNoStore(http::WebResponse::Json(200, body.dump()));
}

http::WebResponse TokenError(const Error& error, const std::string& realm) {
  core::Json body = {{"error", ErrorCodeName(error.code)}};
  if (!error.description.empty()) body["error_description"] = error.description;
  http::WebResponse r = TokenNoStore(http::WebResponse::Json(HttpStatus(error.code), body.dump()));
  if (error.code == ErrorCode::kInvalidClient && error.basic_auth_attempted) {
    r.SetHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
  }
  return r;
}

}  // namespace idm::oauth
