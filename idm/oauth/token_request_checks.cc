// RFC 6749 §3.2 token request checks.
#include "idm/oauth/token_request_checks.h"

#include <algorithm>

namespace idm::oauth {

Status CheckPost(const http::WebRequest& request) {
  if (request.method != "POST") return InvalidRequest("the token endpoint accepts only POST");
  return {};
}

Status CheckFormContentType(const http::WebRequest& request) {
  if (request.ContentType() != "application/x-www-form-urlencoded") {
    return InvalidRequest("the request body must be application/x-www-form-urlencoded");
  }
  return {};
}

std::string FormValue(const http::Params& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

Status CheckNoRepeatedParams(const http::Params& form) {
  for (auto it = form.begin(); it != form.end(); it = form.upper_bound(it->first)) {
    if (form.count(it->first) > 1) {
      return InvalidRequest("parameter \"" + it->first + "\" is repeated");
    }
  }
  return {};
}

Status CheckGrantTypePresent(const http::Params& form) {
  auto it = form.find("grant_type");
  if (it == form.end() || it->second.empty()) return InvalidRequest("grant_type is required");
  return {};
}

Status CheckAuthMethodAllowed(const ClientCredentials& credentials, const core::Client& client) {
  bool basic = credentials.method == ClientAuthMethod::kClientSecretBasic;
  const std::string& registered = client.token_endpoint_auth_method;
  bool confidential = client.type == core::ClientType::kConfidential;
  bool allowed = false;
  switch (credentials.method) {
    case ClientAuthMethod::kClientSecretBasic:
    case ClientAuthMethod::kClientSecretPost:
      allowed = confidential &&
                (registered == "client_secret_basic" || registered == "client_secret_post");
      break;
    case ClientAuthMethod::kPrivateKeyJwt:
      allowed = confidential && registered == "private_key_jwt";
      break;
    case ClientAuthMethod::kNone:
      allowed = !confidential && registered == "none";  // RFC 6749 §2.1 public client
      break;
  }
  if (!allowed) return Error{ErrorCode::kInvalidClient, "client authentication failed", basic};
  return {};
}

Status CheckGrantAllowed(const core::Client& client, const std::string& grant_type) {
  const auto& g = client.grant_types;
  if (std::find(g.begin(), g.end(), grant_type) == g.end()) {
    return UnauthorizedClient("the client is not allowed to use grant type " + grant_type);
  }
  return {};
}

}  // namespace idm::oauth
