// The password step's brute-force protection (idm/authn/brute_force.h) through LoginService over a
// real store: one answer for every failure, per-user and per-address counters, the growing delay
// refusing early attempts, lockout and administrator unlock, reset on success.
#include <gtest/gtest.h>

#include "idm/authn/brute_force.h"
#include "tests/unit/authn/login_fixture.h"

namespace idm::svctest {
namespace {

using authn::StepKind;

class PasswordStepTest : public LoginTest {
 protected:
  std::optional<core::LoginFailureCounter> CounterOf(const std::string& key) {
    auto tx = env_.store_->Begin(store::TxMode::kReadOnly);
    auto c = (*tx)->login_failures().Get(acme_.id, key);
    if (!c.ok()) return std::nullopt;
    return *c;
  }
};

TEST_F(PasswordStepTest, UnknownUserWrongPasswordAndDisabledUserLookTheSame) {
  core::User draft;
  draft.username = "carol";
  draft.enabled = false;
  ASSERT_TRUE(env_.users_->Create(env_.ctx_, "acme", draft, std::string(kPassword)).ok());
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  struct Case {
    const char* name;
    const char* username;
    const char* password;
  } cases[] = {{"unknown user", "mallory", kPassword},
               {"wrong password", "alice", "nope"},
               {"disabled user", "carol", kPassword}};
  for (const Case& c : cases) {
    ctx_.now += 10'000;  // past any delay
    authn::Step step = Password(login.flow.id, &browser, c.username, c.password);
    EXPECT_EQ(step.kind, StepKind::kShowLogin) << c.name;
    EXPECT_TRUE(step.login_failed) << c.name;
    EXPECT_EQ(step.flow.id, login.flow.id) << c.name;
    EXPECT_FALSE(step.session_cookie.has_value()) << c.name;
  }
  auto ip = CounterOf(authn::AddressFailureKey(ctx_.client_ip));
  ASSERT_TRUE(ip.has_value());
  EXPECT_EQ(ip->failures, 3) << "unknown users count per address";
  EXPECT_EQ(CounterOf(authn::UserFailureKey(alice_.id))->failures, 1);
  EXPECT_TRUE(HasEvent("LoginFailed"));
}

TEST_F(PasswordStepTest, AnAttemptInsideTheDelayIsRefusedEvenWithTheRightPassword) {
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  EXPECT_TRUE(Password(login.flow.id, &browser, "alice", "nope").login_failed);
  ctx_.now += authn::kBaseDelayMs - 1;
  authn::Step early = Password(login.flow.id, &browser, "alice", kPassword);
  EXPECT_EQ(early.kind, StepKind::kShowLogin);
  EXPECT_TRUE(early.login_failed);
  EXPECT_EQ(CounterOf(authn::UserFailureKey(alice_.id))->failures, 1) << "refusals do not count";
  ctx_.now += 1;
  authn::Step ok = Password(login.flow.id, &browser, "alice", kPassword);
  EXPECT_EQ(ok.kind, StepKind::kRedirect);
  EXPECT_FALSE(CounterOf(authn::UserFailureKey(alice_.id)).has_value()) << "reset on success";
  EXPECT_TRUE(CounterOf(authn::AddressFailureKey(ctx_.client_ip)).has_value())
      << "the address count is kept";
}

TEST_F(PasswordStepTest, MaxFailuresLockTheUserUntilAnAdministratorUnlocks) {
  const core::RealmSettings s = Acme().settings;
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  for (int64_t i = 1; i <= s.brute_force_max_failures; ++i) {
    ctx_.now += s.brute_force_max_delay_ms;
    EXPECT_TRUE(Password(login.flow.id, &browser, "alice", "nope").login_failed) << i;
  }
  EXPECT_TRUE(HasEvent("UserLockedOut"));
  ctx_.now += s.brute_force_max_delay_ms;
  authn::Step locked = Password(login.flow.id, &browser, "alice", kPassword);
  EXPECT_TRUE(locked.login_failed) << "locked: the right password is refused";

  authn::LockoutService lockouts(*env_.store_, env_.random_);
  auto before = lockouts.Get("acme", alice_.id);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(before->has_value());
  EXPECT_GT((*before)->locked_until, ctx_.now);
  ASSERT_TRUE(lockouts.Unlock(ctx_, "acme", alice_.id).ok());
  EXPECT_TRUE(HasEvent("UserUnlocked"));
  EXPECT_EQ(Password(login.flow.id, &browser, "alice", kPassword).kind, StepKind::kRedirect);
  EXPECT_EQ(lockouts.Unlock(ctx_, "acme", "no-such-user").error().code,
            core::ServiceErrorCode::kNotFound);
}

TEST_F(PasswordStepTest, LockExpiresAfterTheLockoutTime) {
  const core::RealmSettings s = Acme().settings;
  authn::Browser browser;
  authn::Step login = Begin(first_, &browser);
  for (int64_t i = 1; i <= s.brute_force_max_failures; ++i) {
    ctx_.now += s.brute_force_max_delay_ms;
    Password(login.flow.id, &browser, "alice", "nope");
  }
  ctx_.now += s.brute_force_lockout_s * 1000;
  EXPECT_EQ(Password(login.flow.id, &browser, "alice", kPassword).kind, StepKind::kRedirect);
}

TEST_F(PasswordStepTest, RevokingConsentDeletesItAndAsksAgain) {
  authn::Browser browser;
  authn::Step login = Begin(app_, &browser);
  Password(login.flow.id, &browser, "alice", kPassword);
  ASSERT_EQ(Consent(login.flow.id, browser, true).kind, StepKind::kRedirect);
  authn::ConsentService consents(*env_.store_, env_.random_);
  auto listed = consents.List("acme", alice_.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].client_id, "app");
  EXPECT_EQ((*listed)[0].consent.scopes, (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(Begin(app_, &browser).kind, StepKind::kRedirect) << "remembered";
  auto revoked = consents.Revoke(ctx_, "acme", alice_.id, "app");
  ASSERT_TRUE(revoked.ok()) << revoked.error().detail;
  EXPECT_TRUE(HasEvent("ConsentRevoked"));
  EXPECT_EQ(consents.Revoke(ctx_, "acme", alice_.id, "app").error().code,
            core::ServiceErrorCode::kNotFound);
  EXPECT_EQ(Begin(app_, &browser).kind, StepKind::kShowConsent);
}

}  // namespace
}  // namespace idm::svctest
