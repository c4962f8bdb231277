// RFC 6749 §5.1 / §5.2 token endpoint responses.
#include "idm/oauth/token_response.h"

#include "idm/core/json.h"
#include "idm/core/json_writer.h"

namespace idm::oauth {
namespace {

http::WebResponse TokenNoStore(http::WebResponse r) {
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

}  // namespace

http::WebResponse TokenSuccess(const TokenResponse& token) {
  // Written as text: every token request answers with it (docs/design/025, decision 11).
  std::string body;
  body.reserve(token.access_token.size() + token.refresh_token.size() + token.id_token.size() +
               token.scope.size() + 128);
  core::JsonWriter w(body);
  w.BeginObject();
  w.Key("access_token").String(token.access_token);
  w.Key("token_type").String(token.token_type);
  w.Key("expires_in").Int(token.expires_in);
  if (!token.scope.empty()) w.Key("scope").String(token.scope);
  if (!token.refresh_token.empty()) w.Key("refresh_token").String(token.refresh_token);
  if (!token.id_token.empty()) w.Key("id_token").String(token.id_token);
  w.EndObject();
  return TokenNoStore(http::WebResponse::Json(200, std::move(body)));
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
