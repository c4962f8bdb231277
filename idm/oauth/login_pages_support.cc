// BrowserLogin helpers; see login_pages_support.h.
#include "idm/oauth/login_pages_support.h"

namespace idm::oauth {

std::string JoinSpaces(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::string ClientDisplayName(const core::Client& client) {
  return client.name.empty() ? client.client_id : client.name;
}

std::string LoginActionPath(const std::string& realm, const std::string& action) {
  return "/realms/" + realm + "/login-actions/" + action;
}

AuthzErrorCode AuthzErrorCodeFromName(const std::string& name) {
  for (AuthzErrorCode c :
       {AuthzErrorCode::kInvalidRequest, AuthzErrorCode::kUnauthorizedClient,
        AuthzErrorCode::kAccessDenied, AuthzErrorCode::kUnsupportedResponseType,
        AuthzErrorCode::kInvalidScope, AuthzErrorCode::kServerError,
        AuthzErrorCode::kTemporarilyUnavailable, AuthzErrorCode::kInteractionRequired,
        AuthzErrorCode::kLoginRequired, AuthzErrorCode::kAccountSelectionRequired,
        AuthzErrorCode::kConsentRequired, AuthzErrorCode::kUnmetAuthenticationRequirements}) {
    if (name == AuthzErrorCodeName(c)) return c;
  }
  return AuthzErrorCode::kServerError;
}

authn::AuthRequest ToAuthRequest(const AuthorizationRequest& r) {
  authn::AuthRequest out;
  out.client_id = r.client_id;
  out.redirect_uri = r.redirect_uri;
  out.redirect_uri_in_request = r.redirect_uri_in_request;
  out.form_post = r.response_mode == ResponseMode::kFormPost;
  out.scope = r.scope;
  out.state = r.state;
  out.nonce = r.nonce;
  out.prompt_none = r.prompt.none;
  out.prompt_login = r.prompt.login;
  out.prompt_consent = r.prompt.consent;
  out.prompt_select_account = r.prompt.select_account;
  out.max_age = r.max_age;
  out.login_hint = r.login_hint;
  out.ui_locales = r.ui_locales;
  out.acr_values = r.acr_values;
  out.essential_acr = r.essential_acr;
  out.code_challenge = r.code_challenge;
  out.code_challenge_method = r.code_challenge_method;
  return out;
}

}  // namespace idm::oauth
