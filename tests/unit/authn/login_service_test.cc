// LoginService (idm/authn/login_service.h) over a real SQLite store: flow transitions, code
// issuance (RFC 6749 §4.1.2), SSO reuse and prompt/max_age (OIDC Core §3.1.2.1), prompt=none
// errors (§3.1.2.6), consent skipping (§3.1.2.4), browser binding.
#include <gtest/gtest.h>

#include "tests/unit/authn/login_fixture.h"

namespace idm::svctest {
namespace {

using authn::StepKind;

TEST_F(LoginTest, BeginWithoutSessionStoresAStartedFlowBoundToTheBrowser) {
  authn::Browser browser;
  authn::Step step = Begin(app_, &browser);
  ASSERT_EQ(step.kind, StepKind::kShowLogin);
  ASSERT_TRUE(step.binding.has_value());
  EXPECT_EQ(step.flow.state, core::LoginFlowState::kStarted);
  EXPECT_EQ(step.flow.version, 1);
  EXPECT_EQ(step.flow.expires_at, ctx_.now + Acme().settings.login_flow_ttl_s * 1000);
  auto shown = login_->Show(ctx_, Acme(), step.flow.id, browser);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->kind, StepKind::kShowLogin);
  auto foreign = login_->Show(ctx_, Acme(), step.flow.id, authn::Browser{});
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(foreign->kind, StepKind::kForeign);
  auto unknown = login_->Show(ctx_, Acme(), "no-such-flow", browser);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->kind, StepKind::kGone);
}

TEST_F(LoginTest, ASecondFlowInTheSameBrowserKeepsItsBinding) {
  authn::Browser browser;
  Begin(app_, &browser);
  authn::Step second = Begin(first_, &browser);
  EXPECT_FALSE(second.binding.has_value());
  auto shown = login_->Show(ctx_, Acme(), second.flow.id, browser);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->kind, StepKind::kShowLogin);
}

TEST_F(LoginTest, ACodeRecordsNoRedirectUriWhenTheRequestOmittedIt) {
  // RFC 6749 §4.1.3: the token request repeats redirect_uri only if the authorization request had
  // it; the code's empty redirect_uri tells the token endpoint to expect none.
  authn::AuthRequest request = Request(app_);
  request.redirect_uri_in_request = false;
  request.prompt_consent = false;
  authn::Browser browser;
  authn::Step login = Begin(app_, &browser, &request);
  authn::Step next = Password(login.flow.id, &browser, "alice", kPassword);
  authn::Step done =
      next.kind == StepKind::kShowConsent ? Consent(login.flow.id, browser, true) : next;
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_EQ(done.request.redirect_uri, "https://app.example/cb");  // the response still goes there
  auto tx = env_.store_->Begin(store::TxMode::kReadWrite);
  ASSERT_TRUE(tx.ok());
  auto consumed = (*tx)->codes().Consume(crypto::HashSecret(done.code), ctx_.now);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->code.redirect_uri, "");
}

TEST_F(LoginTest, PasswordThenConsentIssuesASingleUseCodeWithEverythingTheTokenEndpointNeeds) {
  authn::Browser browser;
  authn::Step login = Begin(app_, &browser);
  authn::Step consent = Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(consent.kind, StepKind::kShowConsent);
  ASSERT_TRUE(consent.session_cookie.has_value());
  EXPECT_EQ(consent.session_cookie->rfind("idm_ss_", 0), 0u);
  EXPECT_EQ(consent.username, "alice");
  authn::Step done = Consent(login.flow.id, browser, true);
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_TRUE(done.error.empty());
  ASSERT_EQ(done.code.rfind("idm_ac_", 0), 0u);

  auto tx = env_.store_->Begin(store::TxMode::kReadWrite);
  ASSERT_TRUE(tx.ok());
  auto consumed = (*tx)->codes().Consume(crypto::HashSecret(done.code), ctx_.now);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->outcome, store::CodeOutcome::kConsumed);
  const core::AuthorizationCode& code = consumed->code;
  EXPECT_EQ(code.client_id, app_.id);
  EXPECT_EQ(code.user_id, alice_.id);
  EXPECT_FALSE(code.session_id.empty());
  EXPECT_FALSE(code.token_family_id.empty());
  EXPECT_EQ(code.redirect_uri, "https://app.example/cb");
  EXPECT_EQ(code.scope, "openid profile");
  EXPECT_EQ(code.nonce, "n-1");
  EXPECT_EQ(code.code_challenge_method, "S256");
  EXPECT_EQ(code.amr, std::vector<std::string>{"pwd"});
  EXPECT_EQ(code.auth_time, ctx_.now);
  EXPECT_EQ(code.expires_at, ctx_.now + Acme().settings.authorization_code_ttl_s * 1000);
  auto session = (*tx)->sessions().Get(acme_.id, code.session_id);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->session_hash, crypto::HashSecret(*consent.session_cookie));
  tx->reset();

  auto after = login_->Show(ctx_, Acme(), login.flow.id, browser);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->kind, StepKind::kGone) << "a completed flow cannot be replayed";
  EXPECT_EQ(Consent(login.flow.id, browser, true).kind, StepKind::kGone);
  for (const char* type : {"LoginSucceeded", "ConsentGranted", "AuthorizationCodeIssued"}) {
    EXPECT_TRUE(HasEvent(type)) << type;
  }
}

TEST_F(LoginTest, FirstPartyClientSkipsConsent) {
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  authn::Step done = Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_FALSE(done.code.empty());
  EXPECT_FALSE(HasEvent("ConsentGranted"));
}

TEST_F(LoginTest, DeniedConsentRedirectsAccessDeniedAndEndsTheFlow) {
  authn::Browser browser;
  authn::Step login = Begin(app_, &browser);
  Password(login.flow.id, &browser, "alice", kPassword);
  authn::Step denied = Consent(login.flow.id, browser, false);
  ASSERT_EQ(denied.kind, StepKind::kRedirect);
  EXPECT_EQ(denied.error, "access_denied");
  EXPECT_TRUE(denied.code.empty());
  EXPECT_EQ(Consent(login.flow.id, browser, true).kind, StepKind::kGone);
  EXPECT_TRUE(HasEvent("ConsentDenied"));
}

TEST_F(LoginTest, SsoSessionServesTheNextRequestWithoutPasswordUntilMaxAgeOrPromptLogin) {
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  ASSERT_EQ(Password(login.flow.id, &browser, "alice", kPassword).kind, StepKind::kRedirect);
  ctx_.now += 10'000;
  authn::Step sso = Begin(first_, &browser);
  ASSERT_EQ(sso.kind, StepKind::kRedirect);
  EXPECT_FALSE(sso.code.empty());
  EXPECT_FALSE(sso.session_cookie.has_value());

  authn::AuthRequest r = Request(first_);
  r.max_age = 10;
  EXPECT_EQ(Begin(first_, &browser, &r).kind, StepKind::kRedirect) << "10 s old, max_age=10";
  r.max_age = 9;
  EXPECT_EQ(Begin(first_, &browser, &r).kind, StepKind::kShowLogin);
  r.max_age.reset();
  r.prompt_login = true;
  authn::Step again = Begin(first_, &browser, &r);
  ASSERT_EQ(again.kind, StepKind::kShowLogin);
  // Re-authenticating keeps the session (no new cookie) and moves auth_time.
  authn::Step done = Password(again.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_FALSE(done.session_cookie.has_value());
  r.prompt_login = false;
  r.max_age = 0;
  EXPECT_EQ(Begin(first_, &browser, &r).kind, StepKind::kRedirect);
}

TEST_F(LoginTest, PromptNoneAnswersLoginRequiredOrConsentRequiredWithoutStoringAFlow) {
  authn::Browser browser;
  authn::AuthRequest r = Request(app_);
  r.prompt_none = true;
  authn::Step step = Begin(app_, &browser, &r);
  ASSERT_EQ(step.kind, StepKind::kRedirect);
  EXPECT_EQ(step.error, "login_required");
  EXPECT_FALSE(step.binding.has_value());

  authn::Step login = Begin(first_, &browser);
  ASSERT_EQ(Password(login.flow.id, &browser, "alice", kPassword).kind, StepKind::kRedirect);
  step = Begin(app_, &browser, &r);
  ASSERT_EQ(step.kind, StepKind::kRedirect);
  EXPECT_EQ(step.error, "consent_required");
}

TEST_F(LoginTest, AnotherUserSigningInReplacesTheBrowsersSession) {
  core::User draft;
  draft.username = "bob";
  ASSERT_TRUE(env_.users_->Create(env_.ctx_, "acme", draft, std::string(kPassword)).ok());
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  Password(login.flow.id, &browser, "alice", kPassword);
  const std::string alice_cookie = browser.session_cookie;
  authn::AuthRequest r = Request(first_);
  r.prompt_select_account = true;
  authn::Step pick = Begin(first_, &browser, &r);
  ASSERT_EQ(pick.kind, StepKind::kShowLogin);
  authn::Step bob = Password(pick.flow.id, &browser, "bob", kPassword);
  ASSERT_EQ(bob.kind, StepKind::kRedirect);
  ASSERT_TRUE(bob.session_cookie.has_value());
  auto tx = env_.store_->Begin(store::TxMode::kReadOnly);
  auto old = sessions_->Find(**tx, Acme(), alice_cookie, ctx_.now);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value()) << "alice's session was revoked";
}

TEST_F(LoginTest, DisabledUsersSessionIsNotUsed) {
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  Password(login.flow.id, &browser, "alice", kPassword);
  core::User changes = alice_;
  changes.enabled = false;
  ASSERT_TRUE(env_.users_->Update(env_.ctx_, "acme", alice_.id, changes, alice_.version).ok());
  EXPECT_EQ(Begin(first_, &browser).kind, StepKind::kShowLogin);
}

TEST_F(LoginTest, ExpiredFlowIsGone) {
  authn::Browser browser;
  authn::Step login = Begin(app_, &browser);
  ctx_.now += Acme().settings.login_flow_ttl_s * 1000;
  EXPECT_EQ(Password(login.flow.id, &browser, "alice", kPassword).kind, StepKind::kGone);
}

}  // namespace
}  // namespace idm::svctest
