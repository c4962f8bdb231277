// Step-up and MFA policy in the login flow (login_policy.cc, docs/design/020) over a real store:
// acr_values and an essential acr (OIDC Core §3.1.2.1, §5.5.1.1), the error
// unmet_authentication_requirements, a session upgraded in place by the missing factor only,
// per-client and per-role require_mfa, a policy tightened mid-session, the realm's mfa_methods,
// and the recovery codes shown once after the first enrolment.
#include <gtest/gtest.h>

#include <functional>

#include "idm/crypto/totp.h"
#include "tests/unit/authn/login_fixture.h"

namespace idm::svctest {
namespace {

using authn::StepKind;

class StepUpTest : public LoginTest {
 protected:
  std::string EnrollAlice() {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    auto e = totp_->StartEnrollment(*tx, ctx_, Acme(), alice_, "phone");
    EXPECT_TRUE(e.ok());
    std::string seed = *crypto::Base32Decode(e->secret_base32);
    auto ok = totp_->ConfirmEnrollment(*tx, ctx_, Acme(), alice_, e->credential_id,
                                       Code(seed, ctx_.now - 30'000));
    EXPECT_TRUE(ok.ok() && *ok);
    EXPECT_TRUE(tx->Commit().ok());
    return seed;
  }
  std::vector<std::string> RecoveryCodes() {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    auto codes = recovery_->Generate(*tx, ctx_, Acme(), alice_);
    EXPECT_TRUE(codes.ok() && tx->Commit().ok());
    return codes.ok() ? *codes : std::vector<std::string>{};
  }
  static std::string Code(const std::string& seed, core::UnixMillis at) {
    return *crypto::TotpCode(seed, at / 1000, crypto::TotpParams{});
  }
  void UpdateSettings(const std::function<void(core::RealmSettings&)>& change) {
    core::Realm r = Acme();
    change(r.settings);
    auto updated = env_.realms_->Update(env_.ctx_, "acme", r, r.version);
    ASSERT_TRUE(updated.ok()) << updated.error().detail;
  }
  void UpdateClient(core::Client* client, const std::function<void(core::Client&)>& change) {
    core::Client c = *client;
    change(c);
    auto updated = env_.clients_->Update(env_.ctx_, "acme", c.id, c, c.version);
    ASSERT_TRUE(updated.ok()) << updated.error().detail;
    *client = *updated;
  }
  authn::AuthRequest WithAcr(std::vector<std::string> voluntary,
                             std::vector<std::string> essential = {}) {
    authn::AuthRequest r = Request(first_);
    r.acr_values = std::move(voluntary);
    r.essential_acr = std::move(essential);
    return r;
  }
  // A password-only SSO session for alice on `first_` (she has no factor yet).
  authn::Browser PasswordSession() {
    authn::Browser browser;
    authn::Step login = Begin(first_, &browser);
    EXPECT_EQ(Password(login.flow.id, &browser, "alice", kPassword).kind, StepKind::kRedirect);
    return browser;
  }
  authn::Step Second(const authn::Step& at, authn::Browser* browser, const std::string& method,
                     const std::string& code) {
    auto step = login_->SubmitSecondFactor(ctx_, Acme(), at.flow.id, *browser, method, code);
    EXPECT_TRUE(step.ok()) << (step.ok() ? "" : step.error().detail);
    if (!step.ok()) return {};
    if (step->session_cookie) browser->session_cookie = *step->session_cookie;
    return *step;
  }
  core::SsoSession SessionOf(const authn::Browser& browser) {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
    return *tx->sessions().GetByHash(crypto::HashSecret(browser.session_cookie));
  }
  // The acr recorded on the code of a kRedirect step.
  std::string CodeAcr(const authn::Step& step) {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    auto consumed = tx->codes().Consume(crypto::HashSecret(step.code), ctx_.now);
    EXPECT_TRUE(consumed.ok() && tx->Commit().ok());
    return consumed.ok() ? consumed->code.acr : "";
  }
};

TEST_F(StepUpTest, PasswordLoginAchievesLevelPwd) {
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  authn::Step done = Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_EQ(SessionOf(browser).acr, "pwd");
  EXPECT_EQ(CodeAcr(done), "pwd");
}

TEST_F(StepUpTest, AcrValuesMfaOnAPasswordSessionAsksOnlyTheSecondFactorAndUpgradesTheSession) {
  authn::Browser browser = PasswordSession();
  const core::SsoSession before = SessionOf(browser);
  const std::string seed = EnrollAlice();
  ctx_.now += 60'000;
  authn::AuthRequest r = WithAcr({"mfa"});
  authn::Step up = Begin(first_, &browser, &r);
  ASSERT_EQ(up.kind, StepKind::kShowMfa) << "no password page: only the missing factor";
  EXPECT_EQ(up.flow.state, core::LoginFlowState::kMfaPending);
  authn::Step done = Second(up, &browser, "totp", Code(seed, ctx_.now));
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_FALSE(done.session_cookie.has_value()) << "the same session, upgraded in place";
  const core::SsoSession after = SessionOf(browser);
  EXPECT_EQ(after.id, before.id);
  EXPECT_EQ(after.acr, "mfa");
  EXPECT_EQ(after.amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
  EXPECT_EQ(after.auth_time, ctx_.now);
  EXPECT_EQ(CodeAcr(done), "mfa");
}

TEST_F(StepUpTest, SessionThatReachedTheLevelIsNotAskedAgain) {
  authn::Browser browser = PasswordSession();
  const std::string seed = EnrollAlice();
  ctx_.now += 60'000;
  authn::AuthRequest r = WithAcr({"mfa"});
  ASSERT_EQ(Second(Begin(first_, &browser, &r), &browser, "totp", Code(seed, ctx_.now)).kind,
            StepKind::kRedirect);
  ctx_.now += 5'000;
  EXPECT_EQ(Begin(first_, &browser, &r).kind, StepKind::kRedirect);
}

TEST_F(StepUpTest, VoluntaryAcrBeyondTheUsersFactorsIssuesTheLevelReached) {
  authn::Browser browser = PasswordSession();
  authn::AuthRequest r = WithAcr({"phishing-resistant", "mfa"});
  authn::Step done = Begin(first_, &browser, &r);
  ASSERT_EQ(done.kind, StepKind::kRedirect) << "acr_values is voluntary (OIDC Core 3.1.2.1)";
  EXPECT_TRUE(done.error.empty());
  EXPECT_EQ(CodeAcr(done), "pwd");
}

TEST_F(StepUpTest, EssentialAcrThatCannotBeMetEndsWithUnmetAuthenticationRequirements) {
  EnrollAlice();
  authn::AuthRequest r = WithAcr({}, {"phishing-resistant"});
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser, &r);
  ASSERT_EQ(login.kind, StepKind::kShowLogin);
  authn::Step refused = Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(refused.kind, StepKind::kRedirect);
  EXPECT_EQ(refused.error, "unmet_authentication_requirements");
  EXPECT_TRUE(refused.code.empty()) << "no weaker token instead";
  EXPECT_FALSE(refused.session_cookie.has_value());
  auto again = login_->Show(ctx_, Acme(), login.flow.id, browser);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, StepKind::kGone) << "the flow ended as failed";
}

TEST_F(StepUpTest, EssentialAcrOnAnExistingSessionThatCannotReachItIsUnmet) {
  authn::Browser browser = PasswordSession();
  authn::AuthRequest r = WithAcr({}, {"phishing-resistant"});
  authn::Step refused = Begin(first_, &browser, &r);
  ASSERT_EQ(refused.kind, StepKind::kRedirect);
  EXPECT_EQ(refused.error, "unmet_authentication_requirements");
}

TEST_F(StepUpTest, EssentialAcrTheRealmDoesNotOfferIsUnmet) {
  UpdateSettings([](core::RealmSettings& s) { s.acr_levels = {"pwd", "mfa"}; });
  authn::Browser browser = PasswordSession();
  authn::AuthRequest r = WithAcr({}, {"urn:acme:loa:4"});
  EXPECT_EQ(Begin(first_, &browser, &r).error, "unmet_authentication_requirements");
}

TEST_F(StepUpTest, EssentialMfaWithoutAFactorEnrolsWithoutAWayToSkip) {
  UpdateSettings([](core::RealmSettings& s) { s.mfa_enrollment_grace_s = 3600; });
  authn::Browser browser = PasswordSession();
  authn::AuthRequest r = WithAcr({}, {"mfa"});
  authn::Step enrol = Begin(first_, &browser, &r);
  ASSERT_EQ(enrol.kind, StepKind::kShowMfaEnroll);
  EXPECT_FALSE(enrol.can_skip_enrollment);
}

TEST_F(StepUpTest, PromptNoneBelowTheNeededLevelIsLoginRequired) {
  authn::Browser browser = PasswordSession();
  EnrollAlice();
  authn::AuthRequest r = WithAcr({"mfa"});
  r.prompt_none = true;
  authn::Step refused = Begin(first_, &browser, &r);
  ASSERT_EQ(refused.kind, StepKind::kRedirect);
  EXPECT_EQ(refused.error, "login_required");  // OIDC Core §3.1.2.6
}

TEST_F(StepUpTest, ClientRequireMfaMakesAnEarlierPasswordSessionStepUp) {
  authn::Browser browser = PasswordSession();
  const std::string seed = EnrollAlice();
  UpdateClient(&first_, [](core::Client& c) { c.require_mfa = true; });
  ctx_.now += 60'000;
  authn::Step up = Begin(first_, &browser);
  ASSERT_EQ(up.kind, StepKind::kShowMfa) << "the policy was tightened after the session began";
  EXPECT_EQ(Second(up, &browser, "totp", Code(seed, ctx_.now)).kind, StepKind::kRedirect);
}

TEST_F(StepUpTest, RealmPolicyRequiredMakesAnEarlierPasswordSessionEnrol) {
  authn::Browser browser = PasswordSession();
  UpdateSettings([](core::RealmSettings& s) { s.mfa_policy = "required"; });
  EXPECT_EQ(Begin(first_, &browser).kind, StepKind::kShowMfaEnroll);
}

TEST_F(StepUpTest, RoleWithRequireMfaHeldThroughAGroupAsksEveryLoginForASecondFactor) {
  core::Role draft;
  draft.name = "admin";
  draft.require_mfa = true;
  auto role = env_.roles_->Create(env_.ctx_, "acme", draft);
  ASSERT_TRUE(role.ok()) << role.error().detail;
  core::Group group_draft;
  group_draft.name = "operators";
  auto group = env_.groups_->Create(env_.ctx_, "acme", group_draft);
  ASSERT_TRUE(group.ok());
  ASSERT_TRUE(env_.roles_->Grant(env_.ctx_, "acme", core::RoleHolderKind::kGroup, group->id,
                                 role->id).ok());
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", group->id, alice_.id).ok());
  UpdateSettings([](core::RealmSettings& s) { s.mfa_enrollment_grace_s = 3600; });
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  authn::Step enrol = Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(enrol.kind, StepKind::kShowMfaEnroll) << "no factor yet: enrolment, as policy required";
  EXPECT_FALSE(enrol.can_skip_enrollment) << "the realm's grace does not cover a role's policy";
}

TEST_F(StepUpTest, ClientRequirePhishingResistantWithoutAPasskeyIsUnmet) {
  EnrollAlice();
  UpdateClient(&first_, [](core::Client& c) { c.require_phishing_resistant = true; });
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  EXPECT_EQ(Password(login.flow.id, &browser, "alice", kPassword).error,
            "unmet_authentication_requirements");
  EXPECT_TRUE(HasEvent("LoginFailed"));
}

TEST_F(StepUpTest, DisabledMethodIsNeitherOfferedNorAccepted) {
  EnrollAlice();
  const std::vector<std::string> codes = RecoveryCodes();
  UpdateSettings([](core::RealmSettings& s) { s.mfa_methods = {"totp"}; });
  ctx_.now += 60'000;
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  authn::Step mfa = Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(mfa.kind, StepKind::kShowMfa);
  EXPECT_EQ(mfa.mfa_methods, std::vector<std::string>{"totp"});
  authn::Step refused = Second(mfa, &browser, "recovery_code", codes.front());
  EXPECT_EQ(refused.kind, StepKind::kShowMfa);
  EXPECT_TRUE(refused.login_failed);
  EXPECT_FALSE(refused.session_cookie.has_value());
}

TEST_F(StepUpTest, DisabledTotpIsNotAskedForAtLogin) {
  EnrollAlice();
  UpdateSettings([](core::RealmSettings& s) { s.mfa_methods = {"recovery_code"}; });
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  EXPECT_EQ(Password(login.flow.id, &browser, "alice", kPassword).kind, StepKind::kRedirect);
}

TEST_F(StepUpTest, StepUpFlowCannotFinishAfterItsSessionEnded) {
  authn::Browser browser = PasswordSession();
  const std::string seed = EnrollAlice();
  ctx_.now += 60'000;
  authn::AuthRequest r = WithAcr({"mfa"});
  authn::Step up = Begin(first_, &browser, &r);
  ASSERT_EQ(up.kind, StepKind::kShowMfa);
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    ASSERT_TRUE(tx->sessions().Revoke(SessionOf(browser).id, ctx_.now).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  authn::Step gone = Second(up, &browser, "totp", Code(seed, ctx_.now));
  EXPECT_EQ(gone.kind, StepKind::kGone) << "a second factor alone never signs in";
  EXPECT_FALSE(gone.session_cookie.has_value());
}

TEST_F(StepUpTest, FirstEnrolmentShowsTenRecoveryCodesOnceBeforeTheFlowGoesOn) {
  UpdateSettings([](core::RealmSettings& s) { s.mfa_policy = "required"; });
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  authn::Step enrol = Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(enrol.kind, StepKind::kShowMfaEnroll);
  const std::string seed = *crypto::Base32Decode(enrol.enrollment->secret_base32);
  auto shown = login_->SubmitEnrollment(ctx_, Acme(), enrol.flow.id, browser,
                                        Code(seed, ctx_.now), false);
  ASSERT_TRUE(shown.ok());
  ASSERT_EQ(shown->kind, StepKind::kShowRecoveryCodes);
  EXPECT_EQ(shown->recovery_codes.size(), 10u);
  ASSERT_TRUE(shown->session_cookie.has_value());
  browser.session_cookie = *shown->session_cookie;
  EXPECT_TRUE(HasEvent("RecoveryCodesGenerated"));
  auto reload = login_->Show(ctx_, Acme(), enrol.flow.id, browser);
  ASSERT_TRUE(reload.ok());
  EXPECT_EQ(reload->kind, StepKind::kShowRecoveryCodes);
  EXPECT_TRUE(reload->recovery_codes.empty()) << "shown once only";
  auto done = login_->ContinueAfterRecoveryCodes(ctx_, Acme(), enrol.flow.id, browser);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->kind, StepKind::kRedirect);
  EXPECT_FALSE(done->code.empty());
  // One of the codes signs in instead of the authenticator.
  ctx_.now += 60'000;
  authn::Browser next;
  authn::Step mfa = Password(Begin(first_, &next).flow.id, &next, "alice", kPassword);
  EXPECT_EQ(Second(mfa, &next, "recovery_code", shown->recovery_codes[3]).kind,
            StepKind::kRedirect);
}

TEST_F(StepUpTest, ContinueAfterRecoveryCodesFromAnotherBrowserIsRefused) {
  UpdateSettings([](core::RealmSettings& s) { s.mfa_policy = "required"; });
  authn::Browser browser;
  authn::Step enrol = Password(Begin(first_, &browser).flow.id, &browser, "alice", kPassword);
  const std::string seed = *crypto::Base32Decode(enrol.enrollment->secret_base32);
  ASSERT_TRUE(login_->SubmitEnrollment(ctx_, Acme(), enrol.flow.id, browser, Code(seed, ctx_.now),
                                       false).ok());
  auto foreign = login_->ContinueAfterRecoveryCodes(ctx_, Acme(), enrol.flow.id, authn::Browser{});
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(foreign->kind, StepKind::kForeign);
}

}  // namespace
}  // namespace idm::svctest
