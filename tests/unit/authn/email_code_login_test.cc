// Email one-time codes in the login flow (factors/email_code.h, login_email_steps.cc;
// docs/design/019) over a real store, with a sender that records what it was asked to send (the
// real SMTP client is exercised against a real SMTP server in tests/integration/email_code_test.cc):
// the second factor (amr ["pwd","otp","mfa"], RFC 8176 §2), single use, the attempt limit,
// another user's code, the realm switch, a failing SMTP server, passwordless sign-in that never
// reveals whether an account exists, and the notice after a recovery code was used.
#include <gtest/gtest.h>

#include <mutex>
#include <regex>

#include "idm/authn/brute_force.h"
#include "idm/authn/factors/email_code.h"
#include "idm/mail/mail_queue.h"
#include "idm/mail/smtp_settings_service.h"
#include "tests/unit/authn/login_fixture.h"

namespace idm::svctest {
namespace {

using authn::StepKind;

class RecordingSender final : public mail::MailSender {
 public:
  core::Result<void, mail::MailError> Send(const mail::SmtpSettings& settings,
                                           const mail::MailMessage& message) const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_) return mail::MailError{mail::MailErrorKind::kConnection, "connection refused"};
    sent_.push_back(message);
    hosts_.push_back(settings.host + "/" + settings.password);
    return {};
  }
  std::vector<mail::MailMessage> Sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }
  std::string LastHost() const {
    std::lock_guard<std::mutex> lock(mu_);
    return hosts_.empty() ? "" : hosts_.back();
  }
  void Fail(bool fail) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_ = fail;
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<mail::MailMessage> sent_;
  mutable std::vector<std::string> hosts_;
  bool fail_ = false;
};

std::string CodeIn(const mail::MailMessage& m) {
  std::smatch match;
  return std::regex_search(m.body, match, std::regex("\\b[0-9]{6}\\b")) ? match.str() : "";
}

class EmailCodeLoginTest : public LoginTest {
 protected:
  void SetUp() override {
    LoginTest::SetUp();
    sender_ = std::make_shared<RecordingSender>();
    smtp_ = std::make_unique<mail::SmtpSettingsService>(*env_.store_, *kek_, env_.random_,
                                                        *sender_, "");
    mail::SmtpInput in;
    in.host = "mail.acme.example";
    in.password = "smtp-secret";
    in.from_address = "no-reply@acme.example";
    ASSERT_TRUE(smtp_->Put(env_.ctx_, "acme", in).ok());
    email_ = std::make_unique<authn::factors::EmailCodeFactor>(
        kek_->DeriveSecret("idm-email-code-v1"), env_.random_, *smtp_);
    queue_ = std::make_unique<mail::MailQueue>(sender_);
    login_ = std::make_unique<authn::LoginService>(
        *env_.store_, env_.hasher_, env_.random_, *sessions_,
        authn::SecondFactors{*totp_, *recovery_, nullptr, email_.get()});
    login_->SetMailQueue(queue_.get());
    SetEmail(alice_, "alice@example.com", true);
    Settings([](core::RealmSettings& s) {
      s.email_code_enabled = true;
      s.brute_force_max_delay_ms = 0;
      s.brute_force_max_failures = 50;
    });
  }

  void SetEmail(core::User& user, const std::string& email, bool verified) {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    core::User u = *tx->users().Get(acme_.id, user.id);
    u.email = email;
    u.email_verified = verified;
    auto updated = tx->users().Update(u);
    ASSERT_TRUE(updated.ok());
    ASSERT_TRUE(tx->Commit().ok());
    user = *updated;
  }
  template <class F>
  void Settings(F change) {
    core::Realm r = Acme();
    change(r.settings);
    ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", r, r.version).ok());
  }
  authn::Step AfterPassword(authn::Browser* browser, const std::string& username = "alice") {
    authn::Step login = Begin(first_, browser);
    return Password(login.flow.id, browser, username, kPassword);
  }
  authn::Step Send(const authn::Step& at, const authn::Browser& browser) {
    auto step = login_->SendEmailCode(ctx_, Acme(), at.flow.id, browser);
    EXPECT_TRUE(step.ok()) << (step.ok() ? "" : step.error().detail);
    return step.ok() ? *step : authn::Step{};
  }
  authn::Step Submit(const authn::Step& at, authn::Browser* browser, const std::string& code) {
    auto step = login_->SubmitSecondFactor(ctx_, Acme(), at.flow.id, *browser, "email", code);
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
  // Sends a code for alice through the MFA page and returns it and the page.
  std::pair<authn::Step, std::string> Mailed(authn::Browser* browser) {
    authn::Step mfa = AfterPassword(browser);
    authn::Step sent = Send(mfa, *browser);
    EXPECT_TRUE(sent.email_sent);
    auto mails = sender_->Sent();
    return {sent, mails.empty() ? "" : CodeIn(mails.back())};
  }

  std::shared_ptr<RecordingSender> sender_;
  std::unique_ptr<mail::SmtpSettingsService> smtp_;
  std::unique_ptr<authn::factors::EmailCodeFactor> email_;
  std::unique_ptr<mail::MailQueue> queue_;
};

TEST_F(EmailCodeLoginTest, VerifiedAddressMakesTheMfaPageOfferEmailOnly) {
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  EXPECT_EQ(mfa.kind, StepKind::kShowMfa);
  EXPECT_TRUE(mfa.email_available);
  EXPECT_FALSE(mfa.email_sent);
  EXPECT_FALSE(mfa.totp_available);
  EXPECT_EQ(mfa.email_masked, "a***@example.com");
  EXPECT_TRUE(sender_->Sent().empty()) << "nothing is mailed before the user asks";
}

TEST_F(EmailCodeLoginTest, UnverifiedAddressIsNoFactor) {
  SetEmail(alice_, "alice@example.com", false);
  authn::Browser browser;
  authn::Step step = AfterPassword(&browser);
  EXPECT_EQ(step.kind, StepKind::kRedirect) << "optional policy, no factor: password suffices";
}

TEST_F(EmailCodeLoginTest, MailedCodeSignsInOnceWithAmrPwdOtpMfa) {
  authn::Browser browser;
  auto [page, code] = Mailed(&browser);
  ASSERT_EQ(code.size(), 6u);
  auto mails = sender_->Sent();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "alice@example.com");
  EXPECT_EQ(mails[0].from_address, "no-reply@acme.example");
  EXPECT_EQ(sender_->LastHost(), "mail.acme.example/smtp-secret") << "the password opened";
  authn::Step done = Submit(page, &browser, code);
  ASSERT_EQ(done.kind, StepKind::kRedirect);
  EXPECT_FALSE(done.code.empty());
  EXPECT_EQ(SessionOf(browser).amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
  EXPECT_EQ(SessionOf(browser).acr, authn::kAcrMfa);
  EXPECT_TRUE(HasEvent("EmailCodeIssued"));

  authn::Browser other;
  authn::Step again = AfterPassword(&other);
  authn::Step replay = Submit(again, &other, code);
  EXPECT_EQ(replay.kind, StepKind::kShowMfa);
  EXPECT_TRUE(replay.login_failed) << "a used code is refused";
}

TEST_F(EmailCodeLoginTest, WrongCodesCountAsLoginFailuresAndTheFifthKillsTheCode) {
  authn::Browser browser;
  auto [page, code] = Mailed(&browser);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    authn::Step failed = Submit(page, &browser, wrong);
    EXPECT_EQ(failed.kind, StepKind::kShowMfa);
    EXPECT_TRUE(failed.login_failed);
  }
  EXPECT_EQ(UserFailures(), 5);
  authn::Step late = Submit(page, &browser, code);
  EXPECT_EQ(late.kind, StepKind::kShowMfa) << "the right code after five wrong ones is dead";
  EXPECT_TRUE(late.login_failed);
  EXPECT_FALSE(late.email_sent) << "the page offers a new code";
}

TEST_F(EmailCodeLoginTest, ExpiredCodeIsRefused) {
  Settings([](core::RealmSettings& s) { s.email_code_ttl_s = 60; });
  authn::Browser browser;
  auto [page, code] = Mailed(&browser);
  ctx_.now += 61'000;
  authn::Step late = Submit(page, &browser, code);
  EXPECT_EQ(late.kind, StepKind::kShowMfa);
  EXPECT_TRUE(late.login_failed);
}

TEST_F(EmailCodeLoginTest, AnotherUsersCodeIsRefused) {
  core::User draft;
  draft.username = "bob";
  auto bob = env_.users_->Create(env_.ctx_, "acme", draft, std::string(kPassword));
  ASSERT_TRUE(bob.ok());
  core::User b = *bob;
  SetEmail(b, "bob@example.com", true);
  authn::Browser bobs;
  authn::Step bob_mfa = AfterPassword(&bobs, "bob");
  Send(bob_mfa, bobs);
  const std::string bobs_code = CodeIn(sender_->Sent().back());
  authn::Browser browser;
  auto [page, code] = Mailed(&browser);
  if (bobs_code == code) GTEST_SKIP() << "both drew the same code";
  authn::Step step = Submit(page, &browser, bobs_code);
  EXPECT_EQ(step.kind, StepKind::kShowMfa);
  EXPECT_TRUE(step.login_failed);
}

TEST_F(EmailCodeLoginTest, ResendWithinThirtySecondsKeepsTheFirstCode) {
  authn::Browser browser;
  auto [page, code] = Mailed(&browser);
  Send(page, browser);
  EXPECT_EQ(sender_->Sent().size(), 1u) << "a second mail within the resend interval";
  ctx_.now += 31'000;
  Send(page, browser);
  ASSERT_EQ(sender_->Sent().size(), 2u);
  const std::string fresh = CodeIn(sender_->Sent().back());
  if (fresh == code) GTEST_SKIP() << "the new code drew the same digits";
  authn::Step old = Submit(page, &browser, code);
  EXPECT_TRUE(old.login_failed) << "the newer code replaced the older one";
  EXPECT_EQ(Submit(page, &browser, fresh).kind, StepKind::kRedirect);
}

TEST_F(EmailCodeLoginTest, MethodDisabledInTheRealmRefusesAMailedCode) {
  authn::Browser browser;
  auto [page, code] = Mailed(&browser);
  Settings([](core::RealmSettings& s) { s.email_code_enabled = false; });
  authn::Step step = Submit(page, &browser, code);
  EXPECT_NE(step.kind, StepKind::kRedirect);
  EXPECT_TRUE(step.login_failed);
}

TEST_F(EmailCodeLoginTest, SmtpFailureShowsTheErrorAuditsItAndLetsTheUserRetry) {
  sender_->Fail(true);
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  authn::Step failed = Send(mfa, browser);
  EXPECT_EQ(failed.kind, StepKind::kShowMfa);
  EXPECT_TRUE(failed.email_send_failed);
  EXPECT_FALSE(failed.email_sent);
  EXPECT_TRUE(HasEvent("EmailCodeSendFailed"));
  sender_->Fail(false);
  authn::Step retry = Send(mfa, browser);
  EXPECT_TRUE(retry.email_sent) << "the undelivered code did not block a resend";
  EXPECT_EQ(sender_->Sent().size(), 1u);
}

TEST_F(EmailCodeLoginTest, PasswordlessSignInIsOneFactorWithAmrOtp) {
  Settings([](core::RealmSettings& s) { s.passwordless_email = true; });
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  auto started = login_->StartEmailSignIn(ctx_, Acme(), login.flow.id, browser, "alice");
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->kind, StepKind::kShowEmailSignIn);
  queue_->Drain();
  ASSERT_EQ(sender_->Sent().size(), 1u);
  const std::string code = CodeIn(sender_->Sent()[0]);
  auto done = login_->SubmitEmailSignIn(ctx_, Acme(), login.flow.id, browser, code);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->kind, StepKind::kRedirect);
  browser.session_cookie = *done->session_cookie;
  EXPECT_EQ(SessionOf(browser).amr, std::vector<std::string>{"otp"});
  EXPECT_EQ(SessionOf(browser).acr, "");
}

TEST_F(EmailCodeLoginTest, PasswordlessForAnUnknownUserShowsTheSamePageAndSendsNothing) {
  Settings([](core::RealmSettings& s) { s.passwordless_email = true; });
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  auto started = login_->StartEmailSignIn(ctx_, Acme(), login.flow.id, browser, "nobody");
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->kind, StepKind::kShowEmailSignIn);
  EXPECT_FALSE(started->login_failed);
  queue_->Drain();
  EXPECT_TRUE(sender_->Sent().empty());
  auto guess = login_->SubmitEmailSignIn(ctx_, Acme(), login.flow.id, browser, "123456");
  ASSERT_TRUE(guess.ok());
  EXPECT_EQ(guess->kind, StepKind::kShowEmailSignIn);
  EXPECT_TRUE(guess->login_failed);
}

TEST_F(EmailCodeLoginTest, PasswordlessIsOffWithoutTheRealmSetting) {
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  auto started = login_->StartEmailSignIn(ctx_, Acme(), login.flow.id, browser, "alice");
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->kind, StepKind::kShowLogin);
  queue_->Drain();
  EXPECT_TRUE(sender_->Sent().empty());
}

TEST_F(EmailCodeLoginTest, PasswordlessNeverBypassesATotpCredential) {
  Settings([](core::RealmSettings& s) { s.passwordless_email = true; });
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    auto e = totp_->StartEnrollment(*tx, ctx_, Acme(), alice_, "phone");
    ASSERT_TRUE(e.ok());
    auto cred = tx->credentials().Confirm(acme_.id, alice_.id, e->credential_id, ctx_.now);
    ASSERT_TRUE(cred.ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  auto started = login_->StartEmailSignIn(ctx_, Acme(), login.flow.id, browser, "alice");
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->kind, StepKind::kShowEmailSignIn);
  queue_->Drain();
  EXPECT_TRUE(sender_->Sent().empty());
}

TEST_F(EmailCodeLoginTest, UsingARecoveryCodeMailsANoticeAfterTheSignIn) {
  std::vector<std::string> codes;
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    codes = *recovery_->Generate(*tx, ctx_, Acme(), alice_);
    ASSERT_TRUE(tx->Commit().ok());
  }
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  auto done = login_->SubmitSecondFactor(ctx_, Acme(), mfa.flow.id, browser, "recovery_code",
                                         codes[0]);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->kind, StepKind::kRedirect);
  queue_->Drain();
  auto mails = sender_->Sent();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "alice@example.com");
  EXPECT_NE(mails[0].subject.find("recovery code"), std::string::npos);
  EXPECT_NE(mails[0].body.find("9 unused"), std::string::npos) << mails[0].body;
}

TEST_F(EmailCodeLoginTest, AFailedNoticeNeverFailsTheLogin) {
  std::vector<std::string> codes;
  {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    codes = *recovery_->Generate(*tx, ctx_, Acme(), alice_);
    ASSERT_TRUE(tx->Commit().ok());
  }
  sender_->Fail(true);
  authn::Browser browser;
  authn::Step mfa = AfterPassword(&browser);
  auto done = login_->SubmitSecondFactor(ctx_, Acme(), mfa.flow.id, browser, "recovery_code",
                                         codes[0]);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->kind, StepKind::kRedirect);
  queue_->Drain();
  EXPECT_TRUE(sender_->Sent().empty());
}

}  // namespace
}  // namespace idm::svctest
