#include "idm/app/server_routes.h"

#include "idm/core/clock.h"
#include "idm/http/ops_endpoints.h"
#include "idm/mail/curl_mail_sender.h"

#include "idm/account_ui/account_security_endpoint.h"
#include "idm/admin/admin_api.h"
#include "idm/authn/account_security_service.h"
#include "idm/authn/login_service.h"
#include "idm/authn/logout_service.h"
#include "idm/authn/mfa_admin_service.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/backchannel_logout.h"
#include "idm/oauth/end_session_endpoint.h"
#include "idm/oauth/login_pages.h"
#include "idm/oauth/routes.h"
#include "idm/pages/csrf.h"
#include "idm/pages/page_renderer.h"
#include "idm/session/session_service.h"

namespace idm::app {
namespace {

void AddOps(Runtime& rt, core::metrics::Registry& metrics, http::Router& router) {
  http::OpsOptions ops;
  ops.metrics = &metrics;
  ops.version = IDM_VERSION;
  store::Store* store = &rt.store();
  ops.readiness.push_back(http::ReadinessCheck{"store", [store]() -> core::Result<void, std::string> {
                                                 auto ping = store->Ping();
                                                 if (!ping) return core::Err(ping.error().message);
                                                 return {};
                                               }});
  http::AddOpsEndpoints(router, std::move(ops));
}

// Signing keys for every realm (a realm created by an older version or an import has none yet).
core::Result<void, std::string> EnsureAllKeys(Runtime& rt, oauth::KeyService& keys) {
  auto realms = rt.realms().List();
  if (!realms) return core::Err("listing realms: " + realms.error().detail);
  core::OpContext ctx{"system", "", "", core::SystemClock().NowMillis()};
  for (const core::Realm& r : *realms) {
    auto ensured = keys.EnsureKeys(ctx, r);
    if (!ensured) return core::Err("signing keys of realm " + r.name + ": " + ensured.error().detail);
  }
  return {};
}

core::Result<void, std::string> AddProtocolAndAdmin(Runtime& rt, const crypto::Kek& kek,
                                                    core::metrics::Registry& metrics,
                                                    std::shared_ptr<oauth::KeyService> keys,
                                                    Routes& routes) {
  auto clock = std::make_shared<core::SystemClock>();
  // Records the KEK check on a new database (start-up already refused a mismatching KEK before
  // migrating), then makes sure every realm can sign.
  if (auto verified = keys->VerifyKek(); !verified) return core::Err(verified.error().detail);
  IDM_TRY(EnsureAllKeys(rt, *keys));
  oauth::OAuthDeps oauth_deps{rt.config().public_url, rt.store(), rt.realms(), rt.clients(),
                              rt.users(), *keys, rt.random(), *clock, &metrics,
                              kek.DeriveSecret("idm-pairwise-v1")};
  oauth_deps.discovery.authorization_endpoint = true;  // AddBrowserLogin serves it
  oauth_deps.discovery.end_session_endpoint = true;    // and this one
  auto audit = std::make_shared<realm::BatchedAuditWriter>(rt.store(), &metrics);
  audit->Start();
  oauth_deps.audit = audit.get();
  routes.owned.push_back(audit);
  routes.audit = audit.get();
  auto endpoints = std::make_shared<oauth::OAuthEndpoints>(std::move(oauth_deps));
  oauth::RegisterRoutes(routes.router, *endpoints);
  routes.owned.insert(routes.owned.end(), {clock, endpoints});
  routes.keys = keys.get();
  oauth::VerifierOptions vo;
  vo.public_url = rt.config().public_url;
  auto verifier = std::make_shared<oauth::AccessTokenVerifier>(vo, rt.store(), *keys, *clock);
  auto consents = std::make_shared<authn::ConsentService>(rt.store(), rt.random());
  auto lockouts = std::make_shared<authn::LockoutService>(rt.store(), rt.random());
  auto mfa = std::make_shared<authn::MfaAdminService>(rt.store(), rt.random());
  // Outgoing mail (docs/design/019): libcurl SMTP, per-realm settings with the password sealed.
  auto sender = std::make_shared<mail::CurlMailSender>(*clock, rt.random(), &metrics);
  auto smtp = std::make_shared<mail::SmtpSettingsService>(rt.store(), kek, rt.random(), *sender,
                                                          rt.config().mail_ca_file);
  auto mail_queue = std::make_shared<mail::MailQueue>(sender);
  routes.owned.insert(routes.owned.end(), {sender, smtp, mail_queue});
  routes.smtp = smtp.get();
  routes.mail_queue = mail_queue.get();
  auto deps = std::make_shared<admin::AdminDeps>(admin::AdminDeps{
      rt.realms(), rt.clients(), rt.audit(), rt.users(), rt.groups(), rt.roles(), rt.store(),
      *verifier, *clock, consents.get(), lockouts.get()});
  deps->registrations = &endpoints->registrations();
  deps->mfa = mfa.get();
  deps->smtp = smtp.get();
  admin::RegisterRoutes(routes.router, *deps);
  routes.owned.insert(routes.owned.end(), {verifier, deps, consents, lockouts, mfa});
  return {};
}

// The browser login (authorization endpoint, login and consent pages): the theme loaded once
// (a broken theme stops start-up), the CSRF secret derived from the KEK so every node agrees.
core::Result<void, std::string> AddBrowserLogin(Runtime& rt, const crypto::Kek& kek,
                                                core::metrics::Registry& metrics,
                                                oauth::KeyService& keys, Routes& routes) {
  pages::PageRendererOptions po;
  po.theme_dir = rt.config().theme_dir;
  auto renderer = pages::PageRenderer::Load(po);
  if (!renderer) return core::Err("theme: " + renderer.error());
  auto csrf = pages::CsrfTokens::Create(kek.DeriveSecret("idm-csrf-v1"));
  if (!csrf) return core::Err("csrf: " + csrf.error());
  auto clock = std::make_shared<core::SystemClock>();
  auto page_renderer = std::make_shared<pages::PageRenderer>(std::move(*renderer));
  auto csrf_tokens = std::make_shared<pages::CsrfTokens>(std::move(*csrf));
  auto sessions = std::make_shared<session::SessionService>(rt.random());
  // Second factors (docs/design/017): TOTP seeds sealed with the KEK, recovery codes hashed
  // under a KEK-derived key.
  auto totp = std::make_shared<authn::factors::TotpFactor>(kek, rt.random());
  // HOTP (RFC 4226, docs/design/024): counter-based codes, seeds sealed like TOTP's.
  auto hotp = std::make_shared<authn::factors::HotpFactor>(kek, rt.random());
  auto recovery = std::make_shared<authn::factors::RecoveryCodeFactor>(
      kek.DeriveSecret("idm-recovery-code-v1"), rt.random());
  // Passkeys (docs/design/018): the relying party is the public URL's origin and host.
  auto webauthn = std::make_shared<authn::factors::WebAuthnFactor>(
      rt.random(), authn::factors::RelyingPartyFromUrl(rt.config().public_url));
  auto email = std::make_shared<authn::factors::EmailCodeFactor>(
      kek.DeriveSecret("idm-email-code-v1"), rt.random(), *routes.smtp);
  auto login = std::make_shared<authn::LoginService>(
      rt.store(), rt.hasher(), rt.random(), *sessions,
      authn::SecondFactors{*totp, *recovery, webauthn.get(), email.get(), hotp.get()});
  login->SetMailQueue(routes.mail_queue);
  // Back-channel notices of ended sessions, from logouts and from sign-ins that replace another
  // user's session (docs/design/016).
  auto backchannel =
      std::make_shared<oauth::BackchannelLogoutSender>(oauth::BackchannelOptions{}, &metrics);
  auto notices = std::make_shared<oauth::LogoutNotifier>(keys, *backchannel, rt.random(),
                                                         kek.DeriveSecret("idm-pairwise-v1"));
  auto browser = std::make_shared<oauth::BrowserLogin>(
      oauth::BrowserLoginDeps{rt.config().public_url, rt.realms(), rt.clients(), *login,
                              *page_renderer, *csrf_tokens, *clock, *notices});
  oauth::RegisterBrowserLoginRoutes(routes.router, *browser);
  // RP-initiated logout with front- and back-channel notifications (docs/design/016).
  auto logout = std::make_shared<authn::LogoutService>(rt.store(), rt.random(), *sessions);
  auto end_session = std::make_shared<oauth::EndSessionEndpoint>(oauth::EndSessionDeps{
      rt.config().public_url, rt.realms(), rt.clients(), keys, *logout, *notices, *page_renderer,
      *csrf_tokens, rt.random(), *clock, kek.DeriveSecret("idm-pairwise-v1")});
  oauth::RegisterEndSessionRoutes(routes.router, *end_session);
  routes.owned.insert(routes.owned.end(), {clock, page_renderer, csrf_tokens, sessions, login,
                                           browser, logout, backchannel, notices, end_session});
  routes.owned.insert(routes.owned.end(), {totp, recovery, webauthn, email});
  // The self-service security page (docs/design/024).
  auto security = std::make_shared<authn::AccountSecurityService>(
      rt.store(), rt.random(), *sessions, rt.clients(),
      authn::SecondFactors{*totp, *recovery, webauthn.get(), email.get(), hotp.get()});
  auto security_pages = std::make_shared<account_ui::AccountSecurityPages>(
      account_ui::AccountSecurityDeps{rt.config().public_url, rt.realms(), *security,
                                      *page_renderer, *csrf_tokens, rt.random(), *clock});
  account_ui::RegisterAccountSecurityRoutes(routes.router, *security_pages);
  routes.owned.insert(routes.owned.end(), {security, security_pages});
  routes.owned.push_back(hotp);
  return {};
}

}  // namespace

core::Result<Routes, std::string> BuildRoutes(Runtime& rt, const crypto::Kek& kek,
                                              core::metrics::Registry& metrics) {
  Routes routes;
  AddOps(rt, metrics, routes.router);
  auto clock = std::make_shared<core::SystemClock>();
  auto keys = std::make_shared<oauth::KeyService>(rt.store(), kek, rt.random(), *clock);
  routes.owned.insert(routes.owned.end(), {clock, keys});
  IDM_TRY(AddProtocolAndAdmin(rt, kek, metrics, keys, routes));
  IDM_TRY(AddBrowserLogin(rt, kek, metrics, *keys, routes));
  return routes;
}

}  // namespace idm::app
