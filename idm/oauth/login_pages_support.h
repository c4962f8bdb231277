// Helpers of BrowserLogin (login_pages.cc, authorization_endpoint.cc,
// login_actions_endpoint.cc); internal to idm/oauth.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "idm/authn/auth_request.h"
#include "idm/core/op_context.h"
#include "idm/oauth/authorization_request.h"
#include "idm/oauth/login_pages.h"

namespace idm::oauth {

struct BrowserLogin::Call {
  Call(const http::WebRequest& r, core::OpContext c, authn::Browser b)
      : request(r), ctx(std::move(c)), browser(std::move(b)) {}

  const http::WebRequest& request;
  core::Realm realm;
  std::string issuer;
  core::OpContext ctx;     // actor "anonymous": nobody is authenticated yet
  authn::Browser browser;  // the cookies the request brought
};

std::string JoinSpaces(const std::vector<std::string>& items);

// The client's name for pages, its client_id when it has none.
std::string ClientDisplayName(const core::Client& client);

// "/realms/{realm}/login-actions/{action}".
std::string LoginActionPath(const std::string& realm, const std::string& action);

// The AuthzErrorCode spelled `name` (AuthzErrorCodeName's inverse); kServerError if unknown.
AuthzErrorCode AuthzErrorCodeFromName(const std::string& name);

// The login flow's view of a validated request.
authn::AuthRequest ToAuthRequest(const AuthorizationRequest& request);

}  // namespace idm::oauth
