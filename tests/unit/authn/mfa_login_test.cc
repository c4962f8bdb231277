// The second-factor steps of the login flow (login_service.h, factors/) over a real store: TOTP
// after the password with amr ["pwd","otp","mfa"] (RFC 8176 §2), the replay guard (RFC 6238
// §5.2), failures counted like password failures, recovery codes used once, the realm's
// mfa_policy (off / optional / required with enrolment and its grace period).
#include <gtest/gtest.h>

#include "idm/authn/brute_force.h"
#include "idm/crypto/totp.h"
#include "tests/unit/authn/login_fixture.h"

namespace idm::svctest {
namespace {

using authn::StepKind;

class MfaLoginTest : public LoginTest {
 protected:
  // Enrols and confirms a TOTP authenticator for alice; returns its seed.
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
  static std::string Code(const std::string& seed, core::UnixMillis at) {
    return *crypto::TotpCode(seed, at / 1000, crypto::TotpParams{});
  }
  void SetPolicy(const std::string& policy, int64_t grace_s = 0) {
    core::Realm r = Acme();
    r.settings.mfa_policy = policy;
    r.settings.mfa_enrollment_grace_s = grace_s;
    ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", r, r.version).ok());
  }
  // Begin + the right password on the first-party client.
  authn::Step AfterPassword(authn::Browser* browser) {
    authn::Step login = Begin(first_, browser);
    return Password(login.flow.id, browser, "alice", kPassword);
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
  int64_t UserFailures() {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
    auto c = tx->login_failures().Get(acme_.id, authn::UserFailureKey(alice_.id));
    return c.ok() ? c->failures : 0;
  }
};

TEST_F(MfaLoginTest, PasswordAloneStopsAtTheMfaPageWithoutASession) {
  EnrollAlice();
  authn::Browser browser;
  authn::Step step = AfterPassword(&browser);
  EXPECT_EQ(step.kind, StepKind::kShowMfa);
  EXPECT_FALSE(step.session_cookie.has_value());
  EXPECT_EQ(step.flow.state, core::LoginFlowState::kMfaPending);
  EXPECT_EQ(step.flow.amr, std::vector<std::string>{"pwd"});
  auto shown = login_->Show(ctx_, Acme(), step.flow.id, browser);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->kind, StepKind::kShowMfa) << "a reload shows the MFA page again";
}

TEST_F(MfaLoginTest, CorrectTotpCodeIssuesTheCodeWithAmrPwdOtpMfaAndAcr) {
  const std::string seed = EnrollAlice();
  ctx_.now += 60'000;
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  authn::Step done = Second(mfa, &browser, "totp", Code(seed, ctx_.now));
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_FALSE(done.code.empty());
  core::SsoSession s = SessionOf(browser);
  EXPECT_EQ(s.amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
  EXPECT_EQ(s.acr, authn::kAcrMfa);
}

TEST_F(MfaLoginTest, ACodeOfTheSameStepIsRefusedTheSecondTime) {
  const std::string seed = EnrollAlice();
  ctx_.now += 60'000;
  const std::string code = Code(seed, ctx_.now);
  authn::Browser first_browser, second_browser;
  ASSERT_EQ(Second(AfterPassword(&first_browser), &first_browser, "totp", code).kind,
            StepKind::kRedirect);
  ctx_.now += 1'000;  // same 30 s step, past the failure delay
  authn::Step replay = Second(AfterPassword(&second_browser), &second_browser, "totp", code);
  EXPECT_EQ(replay.kind, StepKind::kShowMfa);
  EXPECT_TRUE(replay.login_failed);
  EXPECT_FALSE(replay.session_cookie.has_value());
}

TEST_F(MfaLoginTest, WrongCodesCountAsLoginFailuresAndAPasswordDoesNotClearThem) {
  const std::string seed = EnrollAlice();
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  authn::Step wrong = Second(mfa, &browser, "totp", "000000" == Code(seed, ctx_.now) ? "111111"
                                                                                    : "000000");
  EXPECT_EQ(wrong.kind, StepKind::kShowMfa);
  EXPECT_TRUE(wrong.login_failed);
  EXPECT_EQ(UserFailures(), 1);
  ctx_.now += 10'000;
  authn::Browser other;
  EXPECT_EQ(AfterPassword(&other).kind, StepKind::kShowMfa);
  EXPECT_EQ(UserFailures(), 1) << "the right password alone must not reset the counter";
  EXPECT_TRUE(HasEvent("LoginFailed"));
}

TEST_F(MfaLoginTest, ACodeInsideTheDelayIsRefusedEvenWhenRight) {
  const std::string seed = EnrollAlice();
  ctx_.now += 60'000;
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  EXPECT_TRUE(Second(mfa, &browser, "totp", "12345x").login_failed);
  ctx_.now += 1;
  authn::Step early = Second(mfa, &browser, "totp", Code(seed, ctx_.now));
  EXPECT_EQ(early.kind, StepKind::kShowMfa);
  EXPECT_TRUE(early.login_failed);
}

TEST_F(MfaLoginTest, RecoveryCodeSignsInOnceWithAmrPwdMfa) {
  EnrollAlice();
  std::vector<std::string> codes;
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    codes = *recovery_->Generate(*tx, ctx_, Acme(), alice_);
    ASSERT_TRUE(tx->Commit().ok());
  }
  ASSERT_EQ(codes.size(), 10u);
  authn::Browser browser;
  authn::Step done = Second(AfterPassword(&browser), &browser, "recovery_code", codes[3]);
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_EQ(SessionOf(browser).amr, (std::vector<std::string>{"pwd", "mfa"}));
  EXPECT_TRUE(HasEvent("RecoveryCodeUsed"));
  ctx_.now += 10'000;
  authn::Browser again;
  authn::Step reuse = Second(AfterPassword(&again), &again, "recovery_code", codes[3]);
  EXPECT_EQ(reuse.kind, StepKind::kShowMfa);
  EXPECT_TRUE(reuse.login_failed);
}

TEST_F(MfaLoginTest, PolicyOffNeverAsksForTheSecondFactor) {
  EnrollAlice();
  SetPolicy("off");
  authn::Browser browser;
  authn::Step step = AfterPassword(&browser);
  EXPECT_EQ(step.kind, StepKind::kRedirect);
  EXPECT_EQ(SessionOf(browser).amr, std::vector<std::string>{"pwd"});
}

TEST_F(MfaLoginTest, PolicyRequiredEnrolsAUserWithoutAFactorBeforeTheCode) {
  SetPolicy("required");
  authn::Browser browser;
  authn::Step enroll = AfterPassword(&browser);
  ASSERT_EQ(enroll.kind, StepKind::kShowMfaEnroll);
  ASSERT_TRUE(enroll.enrollment.has_value());
  EXPECT_FALSE(enroll.can_skip_enrollment);
  EXPECT_EQ(enroll.enrollment->otpauth_uri.rfind("otpauth://totp/", 0), 0u);
  auto skipped = login_->SubmitEnrollment(ctx_, Acme(), enroll.flow.id, browser, "", true);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->kind, StepKind::kShowMfaEnroll) << "no grace period: skipping is refused";
  const std::string seed = *crypto::Base32Decode(enroll.enrollment->secret_base32);
  auto done = login_->SubmitEnrollment(ctx_, Acme(), enroll.flow.id, browser,
                                       Code(seed, ctx_.now), false);
  ASSERT_TRUE(done.ok());
  // The first authenticator comes with recovery codes, shown once (docs/design/020).
  ASSERT_EQ(done->kind, StepKind::kShowRecoveryCodes);
  browser.session_cookie = done->session_cookie.value_or("");
  auto went_on = login_->ContinueAfterRecoveryCodes(ctx_, Acme(), enroll.flow.id, browser);
  ASSERT_TRUE(went_on.ok());
  ASSERT_EQ(went_on->kind, StepKind::kRedirect);
  EXPECT_TRUE(HasEvent("MfaEnrolled"));
  ctx_.now += 60'000;
  authn::Browser next;
  EXPECT_EQ(AfterPassword(&next).kind, StepKind::kShowMfa) << "the enrolled factor now counts";
}

TEST_F(MfaLoginTest, PolicyRequiredLetsANewAccountSkipWithinTheGracePeriod) {
  SetPolicy("required", 3600);
  authn::Browser browser;
  authn::Step enroll = AfterPassword(&browser);
  ASSERT_EQ(enroll.kind, StepKind::kShowMfaEnroll);
  EXPECT_TRUE(enroll.can_skip_enrollment);
  auto skipped = login_->SubmitEnrollment(ctx_, Acme(), enroll.flow.id, browser, "", true);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->kind, StepKind::kRedirect);
  EXPECT_TRUE(HasEvent("MfaEnrollmentSkipped"));
}

TEST_F(MfaLoginTest, AnUnconfirmedEnrolmentDoesNotCountAsAFactor) {
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    ASSERT_TRUE(totp_->StartEnrollment(*tx, ctx_, Acme(), alice_, "phone").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  authn::Browser browser;
  EXPECT_EQ(AfterPassword(&browser).kind, StepKind::kRedirect);
}

TEST_F(MfaLoginTest, RemovedCredentialNoLongerAcceptsItsCodes) {
  const std::string seed = EnrollAlice();
  ctx_.now += 60'000;
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    ASSERT_EQ(*totp_->Remove(*tx, acme_.id, alice_.id), 1);
    ASSERT_TRUE(tx->Commit().ok());
  }
  authn::Step step = Second(mfa, &browser, "totp", Code(seed, ctx_.now));
  EXPECT_EQ(step.kind, StepKind::kShowMfa);
  EXPECT_TRUE(step.login_failed);
}

}  // namespace
}  // namespace idm::svctest
