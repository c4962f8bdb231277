// The HOTP second factor (factors/hotp.h, RFC 4226) in the login flow over a real store: a code
// signs in with amr ["pwd","otp","mfa"] (RFC 8176 §2), the counter rule (§7.2: a code and every
// earlier one is used up; §7.4: look-ahead resynchronisation within kHotpLookAhead), failures
// counted like password failures, the realm's mfa_methods, and enrolment with the choice between
// time-based and counter-based codes.
#include <gtest/gtest.h>

#include "idm/authn/brute_force.h"
#include "idm/crypto/hotp.h"
#include "idm/crypto/totp.h"
#include "tests/unit/authn/login_fixture.h"

namespace idm::svctest {
namespace {

using authn::StepKind;

class HotpLoginTest : public LoginTest {
 protected:
  void SetUp() override {
    LoginTest::SetUp();
    hotp_ = std::make_unique<authn::factors::HotpFactor>(*kek_, env_.random_);
    login_ = std::make_unique<authn::LoginService>(
        *env_.store_, env_.hasher_, env_.random_, *sessions_,
        authn::SecondFactors{*totp_, *recovery_, nullptr, nullptr, hotp_.get()});
  }
  // Enrols and confirms an HOTP authenticator for `user` with the code of counter 0; returns
  // its seed.
  std::string Enroll(const core::User& user) {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    auto e = hotp_->StartEnrollment(*tx, ctx_, Acme(), user, "token");
    EXPECT_TRUE(e.ok());
    std::string seed = *crypto::Base32Decode(e->secret_base32);
    auto ok = hotp_->ConfirmEnrollment(*tx, ctx_, Acme(), user, e->credential_id, Code(seed, 0));
    EXPECT_TRUE(ok.ok() && *ok);
    EXPECT_TRUE(tx->Commit().ok());
    return seed;
  }
  static std::string Code(const std::string& seed, uint64_t counter) {
    return *crypto::HotpCode(seed, counter);
  }
  void SetMethods(std::vector<std::string> methods, const std::string& policy = "optional") {
    core::Realm r = Acme();
    r.settings.mfa_methods = std::move(methods);
    r.settings.mfa_policy = policy;
    ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", r, r.version).ok());
  }
  authn::Step AfterPassword(authn::Browser* browser) {
    authn::Step login = Begin(first_, browser);
    return Password(login.flow.id, browser, "alice", kPassword);
  }
  // Password, then `code` as an HOTP code, in a fresh browser; one second later than before so
  // the failure delay of an earlier refusal has passed.
  authn::Step SignIn(const std::string& code, authn::Browser* browser) {
    ctx_.now += 1'000;
    authn::Step mfa = AfterPassword(browser);
    EXPECT_EQ(mfa.kind, StepKind::kShowMfa);
    auto step = login_->SubmitSecondFactor(ctx_, Acme(), mfa.flow.id, *browser, "hotp", code);
    EXPECT_TRUE(step.ok()) << (step.ok() ? "" : step.error().detail);
    if (!step.ok()) return {};
    if (step->session_cookie) browser->session_cookie = *step->session_cookie;
    return *step;
  }
  bool SignsIn(const std::string& code) {
    authn::Browser browser;
    return SignIn(code, &browser).kind == StepKind::kRedirect;
  }
  std::optional<int64_t> LastCounter() {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
    auto creds = *tx->credentials().ListByUser(acme_.id, alice_.id);
    for (const core::Credential& c : creds) {
      if (c.type == core::kCredentialHotp && c.confirmed_at != 0) return c.last_used_step;
    }
    return std::nullopt;
  }
  int64_t UserFailures() {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
    auto c = tx->login_failures().Get(acme_.id, authn::UserFailureKey(alice_.id));
    return c.ok() ? c->failures : 0;
  }

  std::unique_ptr<authn::factors::HotpFactor> hotp_;
};

TEST_F(HotpLoginTest, NextCodeSignsInWithAmrPwdOtpMfaAndAcrMfa) {
  const std::string seed = Enroll(alice_);
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  ASSERT_EQ(mfa.kind, StepKind::kShowMfa);
  EXPECT_NE(std::find(mfa.mfa_methods.begin(), mfa.mfa_methods.end(), "hotp"),
            mfa.mfa_methods.end());
  authn::Browser b2;
  authn::Step done = SignIn(Code(seed, 1), &b2);
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
  core::SsoSession s = *tx->sessions().GetByHash(crypto::HashSecret(b2.session_cookie));
  EXPECT_EQ(s.amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
  EXPECT_EQ(s.acr, authn::kAcrMfa);
  EXPECT_EQ(LastCounter(), 1);
}

TEST_F(HotpLoginTest, EnrolmentConfirmationUsesUpCounterZero) {
  const std::string seed = Enroll(alice_);
  EXPECT_EQ(LastCounter(), 0);
  EXPECT_FALSE(SignsIn(Code(seed, 0))) << "the confirming code must not sign in again";
}

TEST_F(HotpLoginTest, ReplayedCodeIsRefusedAndCountedAsAFailure) {
  const std::string seed = Enroll(alice_);
  ASSERT_TRUE(SignsIn(Code(seed, 1)));
  authn::Browser browser;
  authn::Step replay = SignIn(Code(seed, 1), &browser);
  EXPECT_EQ(replay.kind, StepKind::kShowMfa);
  EXPECT_TRUE(replay.login_failed);
  EXPECT_FALSE(replay.session_cookie.has_value());
  EXPECT_EQ(UserFailures(), 1);
}

TEST_F(HotpLoginTest, AnOlderCounterIsRefusedOnceANewerOneWasAccepted) {
  const std::string seed = Enroll(alice_);
  ASSERT_TRUE(SignsIn(Code(seed, 4)));  // the token ran ahead: 1..3 were never used
  EXPECT_EQ(LastCounter(), 4);
  for (uint64_t c : {1u, 2u, 3u}) EXPECT_FALSE(SignsIn(Code(seed, c))) << "counter " << c;
  ctx_.now += 60'000;  // past the failure delays
  EXPECT_TRUE(SignsIn(Code(seed, 5)));
}

TEST_F(HotpLoginTest, LookAheadResynchronisesUpToTheWindowAndNoFurther) {
  const std::string seed = Enroll(alice_);  // last accepted 0: 1..kHotpLookAhead are accepted
  const uint64_t beyond = 1 + crypto::kHotpLookAhead;
  EXPECT_FALSE(SignsIn(Code(seed, beyond))) << "RFC 4226 §7.4: outside the look-ahead window";
  EXPECT_EQ(LastCounter(), 0) << "a refused code must not move the counter";
  ctx_.now += 60'000;
  EXPECT_TRUE(SignsIn(Code(seed, beyond - 1)));
  EXPECT_EQ(LastCounter(), static_cast<int64_t>(beyond - 1));
  EXPECT_TRUE(SignsIn(Code(seed, beyond))) << "now within the window of the new counter";
}

TEST_F(HotpLoginTest, WrongCodeIsRefusedAndCounted) {
  const std::string seed = Enroll(alice_);
  std::string wrong = "000000";
  for (uint64_t c = 1; c <= crypto::kHotpLookAhead; ++c) {
    if (Code(seed, c) == wrong) wrong = "111111";
  }
  authn::Browser browser;
  authn::Step step = SignIn(wrong, &browser);
  EXPECT_EQ(step.kind, StepKind::kShowMfa);
  EXPECT_TRUE(step.login_failed);
  EXPECT_EQ(UserFailures(), 1);
  EXPECT_TRUE(HasEvent("LoginFailed"));
}

TEST_F(HotpLoginTest, AnotherUsersCodeIsRefused) {
  Enroll(alice_);
  core::User draft;
  draft.username = "bob";
  auto bob = env_.users_->Create(env_.ctx_, "acme", draft, std::string(kPassword));
  ASSERT_TRUE(bob.ok());
  const std::string bobs_seed = Enroll(*bob);
  EXPECT_FALSE(SignsIn(Code(bobs_seed, 1)));
  EXPECT_EQ(LastCounter(), 0);
}

TEST_F(HotpLoginTest, DisabledMethodIsNeitherOfferedNorAccepted) {
  const std::string seed = Enroll(alice_);
  {  // a TOTP authenticator too, so the MFA page still comes
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    auto e = totp_->StartEnrollment(*tx, ctx_, Acme(), alice_, "phone");
    ASSERT_TRUE(e.ok());
    const std::string totp_seed = *crypto::Base32Decode(e->secret_base32);
    auto ok = totp_->ConfirmEnrollment(
        *tx, ctx_, Acme(), alice_, e->credential_id,
        *crypto::TotpCode(totp_seed, ctx_.now / 1000, crypto::TotpParams{}));
    ASSERT_TRUE(ok.ok() && *ok);
    ASSERT_TRUE(tx->Commit().ok());
  }
  SetMethods({"totp", "recovery_code"});
  authn::Browser browser;
  authn::Step step = AfterPassword(&browser);
  ASSERT_EQ(step.kind, StepKind::kShowMfa);
  EXPECT_EQ(step.mfa_methods, std::vector<std::string>{"totp"});
  auto refused =
      login_->SubmitSecondFactor(ctx_, Acme(), step.flow.id, browser, "hotp", Code(seed, 1));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->kind, StepKind::kShowMfa);
  EXPECT_TRUE(refused->login_failed);
  EXPECT_EQ(LastCounter(), 0);
}

TEST_F(HotpLoginTest, RemovedCredentialNoLongerAcceptsItsCodes) {
  const std::string seed = Enroll(alice_);
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    ASSERT_EQ(*hotp_->Remove(*tx, acme_.id, alice_.id), 1);
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto step = login_->SubmitSecondFactor(ctx_, Acme(), mfa.flow.id, browser, "hotp", Code(seed, 1));
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->kind, StepKind::kShowMfa);
  EXPECT_TRUE(step->login_failed);
}

TEST_F(HotpLoginTest, EnrolmentOffersHotpAndConfirmsItWithAFirstCodeOfTheWindow) {
  SetMethods({}, "required");
  authn::Browser browser;
  authn::Step enroll = AfterPassword(&browser);
  ASSERT_EQ(enroll.kind, StepKind::kShowMfaEnroll);
  ASSERT_TRUE(enroll.enrollment.has_value());
  EXPECT_EQ(enroll.enrollment->method, "totp") << "time-based first: every app has it";
  EXPECT_EQ(enroll.otp_enroll_methods, (std::vector<std::string>{"totp", "hotp"}));
  auto switched = login_->SwitchEnrollment(ctx_, Acme(), enroll.flow.id, browser, "hotp");
  ASSERT_TRUE(switched.ok());
  ASSERT_EQ(switched->kind, StepKind::kShowMfaEnroll);
  ASSERT_TRUE(switched->enrollment.has_value());
  const authn::factors::TotpEnrollment& e = *switched->enrollment;
  EXPECT_EQ(e.method, "hotp");
  EXPECT_EQ(e.otpauth_uri, "otpauth://hotp/acme:alice?secret=" + e.secret_base32 +
                               "&issuer=acme&algorithm=SHA1&digits=6&counter=0");
  auto reloaded = login_->Show(ctx_, Acme(), enroll.flow.id, browser);
  ASSERT_TRUE(reloaded.ok());
  ASSERT_TRUE(reloaded->enrollment.has_value());
  EXPECT_EQ(reloaded->enrollment->credential_id, e.credential_id) << "a reload keeps the key";
  const std::string seed = *crypto::Base32Decode(e.secret_base32);
  auto wrong = login_->SubmitEnrollment(ctx_, Acme(), enroll.flow.id, browser,
                                        Code(seed, crypto::kHotpLookAhead), false);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->kind, StepKind::kShowMfaEnroll) << "counter 10 is outside 0..9";
  EXPECT_TRUE(wrong->login_failed);
  ctx_.now += 60'000;
  auto done = login_->SubmitEnrollment(ctx_, Acme(), enroll.flow.id, browser, Code(seed, 2), false);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->kind, StepKind::kShowRecoveryCodes);
  EXPECT_EQ(LastCounter(), 2);
  EXPECT_TRUE(HasEvent("MfaEnrolled"));
  auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
  auto creds = *tx->credentials().ListByUser(acme_.id, alice_.id);
  ASSERT_EQ(creds.size(), 1u) << "switching dropped the unconfirmed TOTP credential";
  EXPECT_EQ(creds[0].type, core::kCredentialHotp);
  EXPECT_NE(creds[0].secret, e.secret_base32) << "the seed is sealed, never stored as shown";
  auto s = tx->sessions().GetByHash(crypto::HashSecret(done->session_cookie.value_or("")));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
}

TEST_F(HotpLoginTest, SwitchingBackToTotpDropsTheUnconfirmedHotpCredential) {
  SetMethods({}, "required");
  authn::Browser browser;
  authn::Step enroll = AfterPassword(&browser);
  ASSERT_TRUE(login_->SwitchEnrollment(ctx_, Acme(), enroll.flow.id, browser, "hotp").ok());
  auto back = login_->SwitchEnrollment(ctx_, Acme(), enroll.flow.id, browser, "totp");
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->enrollment.has_value());
  EXPECT_EQ(back->enrollment->method, "totp");
  EXPECT_EQ(back->enrollment->otpauth_uri.rfind("otpauth://totp/", 0), 0u);
  auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
  auto creds = tx->credentials().ListByUser(acme_.id, alice_.id);
  ASSERT_TRUE(creds.ok());
  ASSERT_EQ(creds->size(), 1u);
  EXPECT_EQ((*creds)[0].type, core::kCredentialTotp);
}

TEST_F(HotpLoginTest, SwitchToADisabledMethodLeavesTheEnrolmentAsItWas) {
  SetMethods({"totp", "recovery_code"}, "required");
  authn::Browser browser;
  authn::Step enroll = AfterPassword(&browser);
  ASSERT_EQ(enroll.kind, StepKind::kShowMfaEnroll);
  EXPECT_EQ(enroll.otp_enroll_methods, std::vector<std::string>{"totp"});
  auto switched = login_->SwitchEnrollment(ctx_, Acme(), enroll.flow.id, browser, "hotp");
  ASSERT_TRUE(switched.ok());
  ASSERT_TRUE(switched->enrollment.has_value());
  EXPECT_EQ(switched->enrollment->method, "totp");
  EXPECT_EQ(switched->enrollment->credential_id, enroll.enrollment->credential_id);
}

TEST_F(HotpLoginTest, OnlyHotpAllowedEnrolsHotpDirectly) {
  SetMethods({"hotp"}, "required");
  authn::Browser browser;
  authn::Step enroll = AfterPassword(&browser);
  ASSERT_EQ(enroll.kind, StepKind::kShowMfaEnroll);
  ASSERT_TRUE(enroll.enrollment.has_value());
  EXPECT_EQ(enroll.enrollment->method, "hotp");
}

}  // namespace
}  // namespace idm::svctest
