// AccountSecurityService (docs/design/023) over a real store with a stepped clock: which sessions
// may use the security page (recent auth_time, and level "mfa" for a user who has a factor), the
// credential-name rule, changes confined to the user's own confirmed credentials with their audit
// events, and the single use of the code the re-authentication returns with.
#include <gtest/gtest.h>

#include "idm/authn/account_security_service.h"
#include "tests/unit/authn/login_fixture.h"

namespace idm::svctest {
namespace {

using authn::AccountAccess;

class AccountSecurityTest : public LoginTest {
 protected:
  void SetUp() override {
    LoginTest::SetUp();
    security_ = std::make_unique<authn::AccountSecurityService>(
        *env_.store_, env_.random_, *sessions_, *env_.clients_,
        authn::SecondFactors{*totp_, *recovery_});
  }

  template <class F>
  void Settings(F change) {
    core::Realm r = Acme();
    change(r.settings);
    ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", r, r.version).ok());
  }

  // Signs `username` in with the password at ctx_.now (no second factor asked: none is enrolled
  // or the factor is added afterwards); the browser keeps the session cookie.
  void SignIn(authn::Browser* browser, const core::Client& client) {
    authn::Step login = Begin(client, browser);
    ASSERT_EQ(login.kind, authn::StepKind::kShowLogin);
    Password(login.flow.id, browser, "alice", kPassword);
    ASSERT_FALSE(browser->session_cookie.empty());
  }

  // A confirmed (or pending) TOTP credential of `user`, stored directly.
  std::string AddCredential(const core::User& user, const std::string& name, bool confirmed) {
    core::Credential c;
    c.id = core::NewUuid(env_.random_);
    c.realm_id = user.realm_id;
    c.user_id = user.id;
    c.type = core::kCredentialTotp;
    c.name = name;
    c.secret = "sealed";
    c.created_at = ctx_.now;
    c.confirmed_at = confirmed ? ctx_.now : 0;
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadWrite));
    EXPECT_TRUE(tx->credentials().Create(c).ok());
    EXPECT_TRUE(tx->Commit().ok());
    return c.id;
  }

  std::vector<core::Credential> Credentials(const core::User& user) {
    auto tx = std::move(*env_.store_->Begin(store::TxMode::kReadOnly));
    return *tx->credentials().ListByUser(user.realm_id, user.id);
  }

  AccountAccess AccessOf(const authn::Browser& browser) {
    auto access = security_->Access(ctx_, Acme(), browser.session_cookie);
    EXPECT_TRUE(access.ok());
    return access.ok() ? access->access : AccountAccess::kNoSession;
  }

  std::unique_ptr<authn::AccountSecurityService> security_;
};

TEST_F(AccountSecurityTest, NoCookieOrAnUnknownOneHasNoSession) {
  EXPECT_EQ(AccessOf(authn::Browser{}), AccountAccess::kNoSession);
  EXPECT_EQ(AccessOf(authn::Browser{"idm_ss_unknown", ""}), AccountAccess::kNoSession);
}

TEST_F(AccountSecurityTest, ASessionIsAllowedOnlyWithinTheReauthenticationWindow) {
  authn::Browser browser;
  SignIn(&browser, first_);
  EXPECT_EQ(AccessOf(browser), AccountAccess::kAllowed);
  ctx_.now += 300'000;  // account_reauth_s = 300 by default: the last allowed millisecond
  EXPECT_EQ(AccessOf(browser), AccountAccess::kAllowed);
  ctx_.now += 1;
  EXPECT_EQ(AccessOf(browser), AccountAccess::kReauthenticate);
  Settings([](core::RealmSettings& s) { s.account_reauth_s = 600; });
  EXPECT_EQ(AccessOf(browser), AccountAccess::kAllowed);
}

TEST_F(AccountSecurityTest, APasswordOnlySessionOfAUserWithAFactorMustReauthenticate) {
  authn::Browser browser;
  SignIn(&browser, first_);
  AddCredential(alice_, "pending", /*confirmed=*/false);
  EXPECT_EQ(AccessOf(browser), AccountAccess::kAllowed) << "an unconfirmed enrolment is no factor";
  AddCredential(alice_, "phone", /*confirmed=*/true);
  auto access = security_->Access(ctx_, Acme(), browser.session_cookie);
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->access, AccountAccess::kReauthenticate);
  EXPECT_EQ(access->user.username, "alice");
  // A method the realm does not allow is not asked at login, so it does not count here either.
  Settings([](core::RealmSettings& s) { s.mfa_methods = {"recovery_code"}; });
  EXPECT_EQ(AccessOf(browser), AccountAccess::kAllowed);
}

TEST_F(AccountSecurityTest, CredentialNamesAreTrimmedAndLimitedTo64Characters) {
  std::string hangul;  // 64 code points, 192 bytes: the limit counts characters, not bytes
  for (int i = 0; i < 64; ++i) hangul += "\xed\x8f\xb0";  // U+D3F0
  struct Case {
    const char* name;
    std::string input;
    std::optional<std::string> expected;
  } cases[] = {
      {"plain", "phone", "phone"},
      {"trimmed", "  work phone\t", "work phone"},
      {"64 characters", std::string(64, 'a'), std::string(64, 'a')},
      {"64 Hangul characters", hangul, hangul},
      {"65 Hangul characters", hangul + "\xed\x8f\xb0", std::nullopt},
      {"65 characters", std::string(65, 'a'), std::nullopt},
      {"empty", "", std::nullopt},
      {"blank", "   ", std::nullopt},
      {"control character", "a\nb", std::nullopt},
      {"DEL", "a\x7f", std::nullopt},
      {"not UTF-8", "a\xff", std::nullopt},
      {"overlong encoding", "\xc0\xaf", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(authn::NormalizeCredentialName(c.input), c.expected) << c.name;
  }
}

TEST_F(AccountSecurityTest, RenameAndRemoveTouchOnlyTheUsersOwnConfirmedCredentials) {
  core::User bob = env_.MakeUser("acme", "bob");
  const std::string bobs = AddCredential(bob, "bob's phone", true);
  const std::string pending = AddCredential(alice_, "pending", false);
  const core::Realm acme = Acme();
  for (const std::string& id : {bobs, pending, std::string("no-such-id")}) {
    auto renamed = security_->Rename(ctx_, acme, alice_, id, "mine");
    ASSERT_FALSE(renamed.ok()) << id;
    EXPECT_EQ(renamed.error().code, core::ServiceErrorCode::kNotFound) << id;
    auto removed = security_->Remove(ctx_, acme, alice_, id);
    ASSERT_FALSE(removed.ok()) << id;
    EXPECT_EQ(removed.error().code, core::ServiceErrorCode::kNotFound) << id;
  }
  EXPECT_EQ(Credentials(bob).at(0).name, "bob's phone");
  EXPECT_EQ(Credentials(alice_).size(), 1u);
  auto bad = security_->Rename(ctx_, acme, bob, bobs, "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ServiceErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().violations.at(0).field, "name");
}

TEST_F(AccountSecurityTest, EachChangeWritesItsEventWithTheUserAsActor) {
  const std::string id = AddCredential(alice_, "phone", true);
  const core::Realm acme = Acme();
  ASSERT_TRUE(security_->Rename(ctx_, acme, alice_, id, " laptop ").ok());
  EXPECT_EQ(Credentials(alice_).at(0).name, "laptop");
  auto codes = security_->RegenerateRecoveryCodes(ctx_, acme, alice_);
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(codes->size(), 10u);
  ASSERT_TRUE(security_->Remove(ctx_, acme, alice_, id).ok());
  EXPECT_TRUE(Credentials(alice_).empty());
  std::vector<std::string> types;
  for (const core::AuditEvent& e : env_.Events("acme")) {
    if (e.actor == "user:" + alice_.id) types.push_back(e.type);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"MfaCredentialRenamed", "RecoveryCodesGenerated",
                                             "MfaCredentialRemoved"}));
  auto overview = security_->Overview(acme, alice_);
  ASSERT_TRUE(overview.ok());
  EXPECT_EQ(overview->recovery_codes_left, 10);
  EXPECT_FALSE(overview->mfa_required);
}

TEST_F(AccountSecurityTest, TheReturnCodeIsConsumedOnceAndOnlyForTheSessionItWasIssuedIn) {
  auto console = security_->EnsureConsoleClient(ctx_, Acme(), "https://id.example/cb");
  ASSERT_TRUE(console.ok());
  auto again = security_->EnsureConsoleClient(ctx_, Acme(), "https://id.example/cb");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, console->id) << "created once";
  EXPECT_FALSE(console->consent_required);
  authn::Browser browser;
  SignIn(&browser, first_);
  authn::Step issued = Begin(*console, &browser);  // the session is recent: a code at once
  ASSERT_EQ(issued.kind, authn::StepKind::kRedirect);
  ASSERT_FALSE(issued.code.empty());
  auto session = security_->Access(ctx_, Acme(), browser.session_cookie);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(*security_->ConsumeReturnCode(ctx_, Acme(), issued.code, "another-session"), false);
  EXPECT_EQ(*security_->ConsumeReturnCode(ctx_, Acme(), issued.code, session->session.id), true);
  EXPECT_EQ(*security_->ConsumeReturnCode(ctx_, Acme(), issued.code, session->session.id), false);
  // A code of another client is left alone.
  authn::Step other = Begin(first_, &browser);
  ASSERT_EQ(other.kind, authn::StepKind::kRedirect);
  EXPECT_EQ(*security_->ConsumeReturnCode(ctx_, Acme(), other.code, session->session.id), false);
  EXPECT_EQ(*security_->ConsumeReturnCode(ctx_, Acme(), "idm_ac_unknown", session->session.id),
            false);
}

}  // namespace
}  // namespace idm::svctest
