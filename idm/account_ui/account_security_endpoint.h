// AccountSecurityPages: the self-service security page of a realm (docs/design/023; issue 4), where
// a signed-in user lists, renames and removes their second factors and regenerates their recovery
// codes. HTTP and pages only; the rules are in authn::AccountSecurityService.
//
// Routes (RegisterAccountSecurityRoutes):
//   GET  /realms/{realm}/account/security                  the page
//   GET  /realms/{realm}/account/callback                  the re-authentication returns here
//   POST /realms/{realm}/account/security/rename           csrf_token, credential_id, name
//   POST /realms/{realm}/account/security/remove           csrf_token, credential_id
//   POST /realms/{realm}/account/security/recovery-codes   csrf_token (new codes, shown once)
//   GET  /realms/{realm}/account/security/totp             add an authenticator app: the login's
//                                                          enrolment page (QR code and key)
//   POST /realms/{realm}/account/security/totp             csrf_token, code (confirms it)
//   POST /realms/{realm}/account/security/passkey/options  csrf_token: WebAuthn creation options
//                                                          (JSON) bound to the SSO session
//   POST /realms/{realm}/account/security/passkey          csrf_token, name, credential (the
//                                                          PublicKeyCredential as JSON)
//
// Every route needs the realm's SSO session with a recent authentication
// (AccountSecurityService::Access); otherwise it answers 303 into the login with prompt=login
// (OIDC Core §3.1.2.1) as the built-in client, which comes back to /account/callback. A POST is
// then not carried out. POSTs carry a CSRF token bound to the SSO session (pages::CsrfTokens,
// binding "account:" + session id); a missing or wrong one is a 403 page. Pages carry
// http::ApplyPageHeaders; the only script is /resources/webauthn.js on a page that offers to add
// a passkey. Errors are pages: unknown realm 404, a credential that is not the user's 404, a bad
// name 400, a refused passkey (replayed or foreign challenge, failed check) 400, store
// unavailable 503.
//
// Thread-safety: Handle* are const and safe to call concurrently; dependencies must outlive it.
#pragma once

#include <optional>
#include <string>

#include "idm/authn/account_security_service.h"
#include "idm/core/clock.h"
#include "idm/core/random.h"
#include "idm/http/router.h"
#include "idm/http/web.h"
#include "idm/pages/csrf.h"
#include "idm/pages/page_renderer.h"
#include "idm/realm/realm_service.h"

namespace idm::account_ui {

struct AccountSecurityDeps {
  std::string public_url;  // e.g. "https://id.example.com"
  realm::RealmService& realms;
  const authn::AccountSecurityService& security;
  const pages::PageRenderer& pages;
  const pages::CsrfTokens& csrf;
  core::Random& random;      // the discarded PKCE verifier of the re-authentication
  const core::Clock& clock;  // when a request has no received_at
};

class AccountSecurityPages {
 public:
  explicit AccountSecurityPages(AccountSecurityDeps deps);

  http::WebResponse HandlePage(const http::WebRequest& request) const;
  http::WebResponse HandleCallback(const http::WebRequest& request) const;
  http::WebResponse HandleRename(const http::WebRequest& request) const;
  http::WebResponse HandleRemove(const http::WebRequest& request) const;
  http::WebResponse HandleRegenerate(const http::WebRequest& request) const;
  http::WebResponse HandleTotpPage(const http::WebRequest& request) const;
  http::WebResponse HandleTotpConfirm(const http::WebRequest& request) const;
  http::WebResponse HandlePasskeyOptions(const http::WebRequest& request) const;
  http::WebResponse HandlePasskeyAdd(const http::WebRequest& request) const;

 private:
  struct Call;
  // The realm and the request's context; nullopt with *error set when the realm is unknown.
  std::optional<Call> MakeCall(const http::WebRequest& request, http::WebResponse* error) const;
  // The signed-in user when the session may use the page; else nullopt with *response set (the
  // redirect into the login, or an error page).
  std::optional<authn::AccountSession> Gate(const Call& call, http::WebResponse* response) const;
  // Gate plus the form's CSRF token.
  std::optional<authn::AccountSession> GatePost(const Call& call,
                                                http::WebResponse* response) const;
  http::WebResponse LoginRedirect(const Call& call, const authn::AccountSession& session) const;
  struct PageState;
  http::WebResponse SecurityPage(const Call& call, const authn::AccountSession& session,
                                 const PageState& state) const;
  http::WebResponse ServiceErrorPage(const Call& call, const core::ServiceError& error) const;
  http::WebResponse ErrorPage(const Call& call, int status, const std::string& key) const;
  http::WebResponse BackToPage(const Call& call, const char* done) const;
  http::WebResponse TotpPage(const Call& call, const authn::AccountSession& session,
                             bool failed) const;
  std::string PagePath(const Call& call) const;

  AccountSecurityDeps deps_;
  bool secure_;  // the public URL is https: the session cookie is __Host-idm_session
};

// Adds the routes listed above. `pages` must outlive the router's use.
void RegisterAccountSecurityRoutes(http::Router& router, const AccountSecurityPages& pages);

}  // namespace idm::account_ui
