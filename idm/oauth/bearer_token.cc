// RFC 6750 §2 (sending a bearer token) and §3 (the WWW-Authenticate response).
#include "idm/oauth/bearer_token.h"

#include "idm/core/ascii.h"
#include "idm/core/json.h"

namespace idm::oauth {
namespace {

BearerError InvalidBearerRequest(std::string description) {
  return {BearerErrorCode::kInvalidRequest, std::move(description), ""};
}

const char* CodeName(BearerErrorCode code) {
  switch (code) {
    case BearerErrorCode::kInvalidRequest:
      return "invalid_request";
    case BearerErrorCode::kInvalidToken:
      return "invalid_token";
    case BearerErrorCode::kInsufficientScope:
      return "insufficient_scope";
    case BearerErrorCode::kNone:
      break;
  }
  return "";
}

// RFC 6750 §3: auth-param values are quoted-strings; error_description is limited to
// %x20-21 / %x23-5B / %x5D-7E, so anything else is dropped.
std::string QuotedValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') out.push_back(c);
  }
  return out;
}

}  // namespace

core::Result<std::optional<std::string>, BearerError> ReadBearerToken(
    const http::WebRequest& request, bool allow_form_body) {
  std::optional<std::string> from_header;
  if (request.headers.count("Authorization") > 1) {
    return core::Err(InvalidBearerRequest("more than one Authorization header"));
  }
  if (std::optional<std::string> auth = request.Header("Authorization")) {
    if (core::StartsWithIgnoreCase(*auth, "bearer ")) {
      std::string token = auth->substr(7);
      while (!token.empty() && token.front() == ' ') token.erase(token.begin());
      while (!token.empty() && token.back() == ' ') token.pop_back();
      if (token.empty()) return core::Err(InvalidBearerRequest("the Bearer credential is empty"));
      from_header = std::move(token);
    }
  }
  std::optional<std::string> from_body;
  if (allow_form_body && request.method == "POST" &&
      request.ContentType() == "application/x-www-form-urlencoded") {
    http::Params form = request.Form();
    size_t n = form.count("access_token");
    if (n > 1) return core::Err(InvalidBearerRequest("access_token is repeated"));
    if (n == 1) {
      std::string token = form.find("access_token")->second;
      if (token.empty()) return core::Err(InvalidBearerRequest("access_token is empty"));
      from_body = std::move(token);
    }
  }
  if (from_header && from_body) {
    // RFC 6750 §2: clients MUST NOT use more than one method to transmit the token.
    return core::Err(InvalidBearerRequest("the access token was sent in more than one way"));
  }
  return from_header ? from_header : from_body;
}

http::WebResponse BearerErrorResponse(const BearerError& error, const std::string& realm) {
  int status = 401;
  if (error.code == BearerErrorCode::kInvalidRequest) status = 400;
  if (error.code == BearerErrorCode::kInsufficientScope) status = 403;
  std::string challenge = "Bearer realm=\"" + QuotedValue(realm) + "\"";
  core::Json body = core::Json::object();
  if (error.code != BearerErrorCode::kNone) {
    challenge += std::string(", error=\"") + CodeName(error.code) + "\"";
    body["error"] = CodeName(error.code);
    if (!error.description.empty()) {
      challenge += ", error_description=\"" + QuotedValue(error.description) + "\"";
      body["error_description"] = error.description;
    }
    if (!error.scope.empty()) challenge += ", scope=\"" + QuotedValue(error.scope) + "\"";
  }
  http::WebResponse r = http::WebResponse::Json(status, body.dump());
  r.SetHeader("WWW-Authenticate", challenge);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace idm::oauth
