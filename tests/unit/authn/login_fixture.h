// Fixture of the login-service tests: the domain-service environment (real SQLite, cheap Argon2)
// with realm acme, user alice (password kPassword), client "app" (consent required) and
// client "first" (first party, no consent), and the session and login services over it.
#pragma once

#include <memory>
#include <string>

#include "idm/authn/consent_service.h"
#include "idm/authn/login_service.h"
#include "idm/crypto/secret.h"
#include "idm/session/session_service.h"
#include "tests/unit/realm/service_env.h"

namespace idm::svctest {

inline constexpr char kPassword[] = "Wonderland-2026-tea-party";

class LoginTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    core::User draft;
    draft.username = "alice";
    auto user = env_.users_->Create(env_.ctx_, "acme", draft, std::string(kPassword));
    ASSERT_TRUE(user.ok()) << user.error().detail;
    alice_ = *user;
    app_ = MakeClient("app", true);
    first_ = MakeClient("first", false);
    sessions_ = std::make_unique<session::SessionService>(env_.random_);
    kek_ = std::make_unique<crypto::Kek>(crypto::Kek::Generate(env_.random_));
    totp_ = std::make_unique<authn::factors::TotpFactor>(*kek_, env_.random_);
    recovery_ = std::make_unique<authn::factors::RecoveryCodeFactor>(
        kek_->DeriveSecret("idm-recovery-code-v1"), env_.random_);
    login_ = std::make_unique<authn::LoginService>(*env_.store_, env_.hasher_, env_.random_,
                                                   *sessions_,
                                                   authn::SecondFactors{*totp_, *recovery_});
    ctx_ = env_.ctx_;
    ctx_.actor = "anonymous";
  }

  core::Client MakeClient(const std::string& client_id, bool consent_required) {
    core::Client draft;
    draft.client_id = client_id;
    draft.type = core::ClientType::kPublic;
    draft.token_endpoint_auth_method = "none";
    draft.redirect_uris = {"https://" + client_id + ".example/cb"};
    draft.grant_types = {"authorization_code"};
    draft.scopes = {"openid", "profile", "email"};
    draft.consent_required = consent_required;
    auto created = env_.clients_->Create(env_.ctx_, "acme", draft);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().detail);
    return created.ok() ? created->client : core::Client{};
  }

  authn::AuthRequest Request(const core::Client& client) const {
    authn::AuthRequest r;
    r.client_id = client.client_id;
    r.redirect_uri = client.redirect_uris.front();
    r.scope = {"openid", "profile"};
    r.state = "st";
    r.nonce = "n-1";
    r.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    r.code_challenge_method = "S256";
    return r;
  }

  // The realm as stored now (settings may have been changed by a test).
  core::Realm Acme() { return *env_.realms_->Get("acme"); }

  // Begin on `client` in a browser with `browser` cookies; binding adopted when handed out.
  authn::Step Begin(const core::Client& client, authn::Browser* browser,
                    const authn::AuthRequest* request = nullptr) {
    auto step = login_->Begin(ctx_, Acme(), client, request ? *request : Request(client), *browser);
    EXPECT_TRUE(step.ok()) << (step.ok() ? "" : step.error().detail);
    if (!step.ok()) return {};
    if (step->binding) browser->binding = *step->binding;
    if (step->session_cookie) browser->session_cookie = *step->session_cookie;
    return *step;
  }

  authn::Step Password(const std::string& flow_id, authn::Browser* browser,
                       const std::string& username, const std::string& password) {
    auto step = login_->SubmitPassword(ctx_, Acme(), flow_id, *browser, username, password);
    EXPECT_TRUE(step.ok()) << (step.ok() ? "" : step.error().detail);
    if (!step.ok()) return {};
    if (step->session_cookie) browser->session_cookie = *step->session_cookie;
    return *step;
  }

  authn::Step Consent(const std::string& flow_id, const authn::Browser& browser, bool approve) {
    auto step = login_->SubmitConsent(ctx_, Acme(), flow_id, browser, approve);
    EXPECT_TRUE(step.ok()) << (step.ok() ? "" : step.error().detail);
    return step.ok() ? *step : authn::Step{};
  }

  bool HasEvent(const std::string& type) {
    for (const core::AuditEvent& e : env_.Events("acme")) {
      if (e.type == type) return true;
    }
    return false;
  }

  core::User alice_;
  core::Client app_;
  core::Client first_;
  std::unique_ptr<session::SessionService> sessions_;
  std::unique_ptr<crypto::Kek> kek_;
  std::unique_ptr<authn::factors::TotpFactor> totp_;
  std::unique_ptr<authn::factors::RecoveryCodeFactor> recovery_;
  std::unique_ptr<authn::LoginService> login_;
  core::OpContext ctx_;
};

}  // namespace idm::svctest
