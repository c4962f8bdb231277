// BrowserLogin: the browser-facing side of the login (docs/design/013): the authorization
// endpoint (authorization_endpoint.cc, RFC 6749 §4.1.1 / OIDC Core §3.1.2) and the login-action
// endpoints that the login and consent forms post to (login_actions_endpoint.cc). It maps HTTP to
// authn::LoginService and each authn::Step back to a page, a redirect or a form_post response;
// the flow logic itself lives in idm/authn.
//
// Routes (RegisterBrowserLoginRoutes):
//   GET|POST /realms/{realm}/protocol/openid-connect/auth      the authorization endpoint
//   GET      /realms/{realm}/login-actions/authenticate?flow_id=..  the flow's current page
//   POST     /realms/{realm}/login-actions/authenticate       the login form (username, password)
//   POST     /realms/{realm}/login-actions/consent            the consent form (decision)
//   POST     /realms/{realm}/login-actions/mfa                the second-factor form (method, code)
//   POST     /realms/{realm}/login-actions/mfa-enroll         the TOTP/HOTP enrolment form (code, skip,
//                                                             or switch=totp|hotp)
//   POST     /realms/{realm}/login-actions/email-signin       passwordless sign-in with an emailed
//                                                             code (action=send + username, or
//                                                             code; docs/design/019)
//   GET      /resources/idm.css                               the theme's stylesheet
//
// Pages carry the page security headers (http::ApplyPageHeaders: CSP, frame-ancestors 'none', no
// caching) and every form a CSRF token bound to the flow id (pages::CsrfTokens). Cookies:
// the SSO session (http::SessionCookie) and the flow binding ("idm_flow", HttpOnly, SameSite=Lax,
// "__Host-" and Secure when the public URL is https).
//
// Thread-safety: Handle* are const and safe to call concurrently; dependencies must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/authn/login_service.h"
#include "idm/core/clock.h"
#include "idm/http/router.h"
#include "idm/http/web.h"
#include "idm/oauth/authorization_error.h"
#include "idm/oauth/authorization_response.h"
#include "idm/oauth/logout_notifier.h"
#include "idm/pages/csrf.h"
#include "idm/pages/page_renderer.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"

namespace idm::oauth {

inline constexpr std::string_view kFlowCookieName = "idm_flow";

struct BrowserLoginDeps {
  std::string public_url;
  realm::RealmService& realms;
  realm::ClientService& clients;
  authn::LoginService& login;
  const pages::PageRenderer& pages;
  const pages::CsrfTokens& csrf;
  const core::Clock& clock;  // when a request has no received_at
  // Notices for the session of another user that a sign-in ended (authn::Step::ended_session).
  const LogoutNotifier& logout_notices;
};

class BrowserLogin {
 public:
  explicit BrowserLogin(BrowserLoginDeps deps);

  // The authorization endpoint (GET query or POST form, OIDC Core §3.1.2.1).
  http::WebResponse HandleAuthorize(const http::WebRequest& request) const;
  // GET /login-actions/authenticate: the flow's current page (reload, language switch).
  http::WebResponse HandleShow(const http::WebRequest& request) const;
  // POST /login-actions/authenticate: the login form.
  http::WebResponse HandlePassword(const http::WebRequest& request) const;
  // POST /login-actions/consent: the consent form.
  http::WebResponse HandleConsent(const http::WebRequest& request) const;
  // POST /login-actions/mfa: the second-factor form.
  http::WebResponse HandleSecondFactor(const http::WebRequest& request) const;
  // POST /login-actions/mfa-enroll: the TOTP enrolment form.
  http::WebResponse HandleEnrollment(const http::WebRequest& request) const;
  http::WebResponse HandleRecoveryCodesSaved(const http::WebRequest& request) const;
  // POST /login-actions/email-signin: passwordless sign-in with an emailed code.
  http::WebResponse HandleEmailSignIn(const http::WebRequest& request) const;
  // GET /resources/idm.css.
  http::WebResponse HandleStylesheet(const http::WebRequest& request) const;
  // Passkeys (webauthn_login_endpoint.cc): POST /login-actions/webauthn-options (JSON),
  // POST /login-actions/passkey (username-less sign-in), GET /resources/webauthn.js.
  http::WebResponse HandleWebAuthnOptions(const http::WebRequest& request) const;
  http::WebResponse HandlePasskeyLogin(const http::WebRequest& request) const;
  http::WebResponse HandleWebAuthnScript(const http::WebRequest& request) const;

 private:
  struct Call;
  // The realm and the request's context; nullopt with *error set when the realm is unknown.
  std::optional<Call> MakeCall(const http::WebRequest& request, http::WebResponse* error) const;
  // A login-action POST: its Call, form and flow_id once the form's CSRF token for that flow
  // checks out; nullopt with *error set (unknown realm, or 403) otherwise.
  struct FormPost;
  std::optional<FormPost> BeginFormPost(const http::WebRequest& request,
                                        http::WebResponse* error) const;
  http::WebResponse Respond(const Call& call, const core::ServiceResult<authn::Step>& step,
                            bool from_authorize) const;
  http::WebResponse StepResponse(const Call& call, const authn::Step& step,
                                 bool from_authorize) const;
  http::WebResponse AuthorizationErrorPage(const Call& call, const AuthorizationError& e) const;
  http::WebResponse Deliver(const Call& call, const AuthorizationResponse& out) const;
  http::WebResponse LoginPage(const Call& call, const authn::Step& step) const;
  http::WebResponse ConsentPage(const Call& call, const authn::Step& step) const;
  http::WebResponse MfaPage(const Call& call, const authn::Step& step) const;
  http::WebResponse MfaEnrollPage(const Call& call, const authn::Step& step) const;
  http::WebResponse RecoveryCodesPage(const Call& call, const authn::Step& step) const;
  http::WebResponse EmailSignInPage(const Call& call, const authn::Step& step) const;
  http::WebResponse ErrorPage(const Call& call, int status, const std::string& key,
                              const std::string& detail) const;
  http::WebResponse Redirect(const Call& call, const authn::Step& step) const;
  void SetCookies(const Call& call, const authn::Step& step, http::WebResponse& response) const;
  std::string Locale(const Call& call, const std::vector<std::string>& ui_locales) const;

  BrowserLoginDeps deps_;
  bool secure_;  // the public URL is https: Secure, __Host- cookies
};

// Adds the routes listed above. `login` must outlive the router's use.
void RegisterBrowserLoginRoutes(http::Router& router, const BrowserLogin& login);

}  // namespace idm::oauth
