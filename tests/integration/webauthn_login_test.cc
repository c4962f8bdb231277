// Passkeys in the browser login against the real binary (docs/design/018), on SQLite and (with
// IDM_TEST_PG_URL) PostgreSQL, with WebAuthn responses made in the test by the software
// authenticator of tests/support (the Chromium interop test uses a real browser): enrolment at the
// MFA enrolment step, password + passkey, username-less sign-in, and the HTTP error paths — a bad
// CSRF token on the options endpoint, a flow with no ceremony, a wrong origin, a replayed
// challenge, a counter regression (audited), a credential of another user and a removed one.
#include <gtest/gtest.h>
#include <signal.h>


#include "idm/crypto/encoding.h"
#include "idm/http/server.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/test_support.h"
#include "tests/support/webauthn_authenticator.h"

namespace idm::testing {
namespace {

constexpr char kPublicUrl[] = "http://idm.test";
constexpr char kOrigin[] = "http://idm.test";
constexpr char kRpId[] = "idm.test";
constexpr char kInvalidLogin[] = "The username or password is incorrect.";

class WebAuthnLogin : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
    auto env = env_->env();
    env["IDM_PUBLIC_URL"] = kPublicUrl;
    server_ = std::make_unique<ServerProcess>(env_->dir(), env);
    ASSERT_TRUE(server_->Start()) << server_->Output();
    admin_ = std::make_unique<http::Client>(server_->base_url());
    token_ = AdminToken(*admin_);
    ASSERT_FALSE(token_.empty());
    Created("/admin/api/v1/realms",
            {{"name", "acme"},
             {"settings",
              {{"mfa_policy", "required"},
               {"passwordless_webauthn", true},
               {"brute_force_max_failures", 50},
               {"brute_force_ip_max_failures", 500},
               {"brute_force_max_delay_ms", 0}}}});
    for (const char* name : {"alice", "bob"}) {
      user_ids_[name] = Created("/admin/api/v1/realms/acme/users",
                                {{"username", name}, {"password", kPassword}})["id"];
    }
    Created("/admin/api/v1/realms/acme/clients", {{"client_id", "app2"},
                                                  {"type", "public"},
                                                  {"redirect_uris", {kRedirect}},
                                                  {"grant_types", {"authorization_code"}},
                                                  {"token_endpoint_auth_method", "none"},
                                                  {"scopes", {"openid"}},
                                                  {"consent_required", false}});
  }

  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->Signal(SIGTERM), 0);
    }
  }

  core::Json Created(const std::string& path, const core::Json& body) {
    auto r = PostJson(*admin_, path, body, token_);
    EXPECT_TRUE(r) << path;
    if (!r) return core::Json::object();
    EXPECT_EQ(r->status, 201) << path << ": " << r->body;
    return core::Json::parse(r->body, nullptr, false);
  }

  // A fresh browser at the login page.
  http::ClientResponse LoginPage(BrowserClient& browser) {
    auto r = browser.Get("/realms/acme/protocol/openid-connect/auth?" +
                         FormEncode({{"client_id", "app2"},
                                     {"response_type", "code"},
                                     {"scope", "openid"},
                                     {"redirect_uri", kRedirect},
                                     {"state", "st"},
                                     {"code_challenge", kChallenge},
                                     {"code_challenge_method", "S256"}}));
    EXPECT_TRUE(r && r->status == 303);
    auto page = browser.Get(r ? r->Header("Location").value_or("") : "");
    EXPECT_TRUE(page && page->status == 200);
    return page ? *page : http::ClientResponse{};
  }

  http::ClientResponse PasswordStep(BrowserClient& browser, const std::string& username) {
    http::ClientResponse page = LoginPage(browser);
    return Post(browser, "authenticate", page, {{"username", username}, {"password", kPassword}});
  }

  static http::ClientResponse Post(BrowserClient& browser, const std::string& action,
                                   const http::ClientResponse& page,
                                   std::vector<std::pair<std::string, std::string>> fields) {
    fields.push_back({"flow_id", HiddenInput(page.body, "flow_id")});
    fields.push_back({"csrf_token", HiddenInput(page.body, "csrf_token")});
    auto r = browser.PostForm("/realms/acme/login-actions/" + action, fields);
    EXPECT_TRUE(r);
    return r ? *r : http::ClientResponse{};
  }

  // The options the page script would fetch; the raw challenge bytes in *challenge.
  core::Json Options(BrowserClient& browser, const http::ClientResponse& page,
                     std::string* challenge) {
    http::ClientResponse r = Post(browser, "webauthn-options", page, {});
    EXPECT_EQ(r.status, 200) << r.body;
    core::Json options = core::Json::parse(r.body, nullptr, false);
    *challenge = crypto::Base64UrlDecode(options.value("challenge", "")).value_or("");
    return options;
  }

  TestCeremony Ceremony(const std::string& challenge) {
    TestCeremony c;
    c.challenge = challenge;
    c.origin = kOrigin;
    c.rp_id = kRpId;
    return c;
  }

  // `username` enrols `key` at the enrolment step (policy required) and is signed in. Returns the
  // user handle of the creation options (raw), which a real authenticator keeps with the passkey.
  std::string Enrol(BrowserClient& browser, const std::string& username,
                    const TestAuthenticator& key) {
    http::ClientResponse enrol = PasswordStep(browser, username);
    EXPECT_EQ(enrol.status, 200);
    EXPECT_NE(enrol.body.find("data-webauthn=\"create\""), std::string::npos) << enrol.body;
    std::string challenge;
    core::Json options = Options(browser, enrol, &challenge);
    EXPECT_EQ(options["rp"]["id"], kRpId);
    EXPECT_EQ(options["authenticatorSelection"]["residentKey"], "required");
    TestCeremony c = Ceremony(challenge);
    c.sign_count = 1;
    http::ClientResponse done =
        Post(browser, "mfa-enroll", enrol,
             {{"method", "webauthn"}, {"name", "laptop"}, {"credential", key.Create(c).ToJson()}});
    EXPECT_EQ(done.status, 302) << done.body;
    return crypto::Base64UrlDecode(options["user"].value("id", "")).value_or("");
  }

  // The MFA page after the password, with its options' challenge.
  http::ClientResponse MfaStep(BrowserClient& browser, const std::string& username,
                               std::string* challenge) {
    http::ClientResponse mfa = PasswordStep(browser, username);
    EXPECT_EQ(mfa.status, 200);
    EXPECT_NE(mfa.body.find("data-webauthn=\"get\""), std::string::npos) << mfa.body;
    Options(browser, mfa, challenge);
    return mfa;
  }

  // The realm's audit trail (JSON text).
  std::string AuditTrail() {
    auto r = GetWithToken(*admin_, "/admin/api/v1/realms/acme/audit-events?limit=1000", token_);
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return r ? r->body : "";
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> admin_;
  std::string token_;
  std::map<std::string, std::string> user_ids_;
};

TEST_P(WebAuthnLogin, EnrolledPasskeySignsInAsSecondFactorAndWithoutPassword) {
  TestAuthenticator key(-7);
  std::string handle;
  {
    BrowserClient browser(server_->base_url());
    handle = Enrol(browser, "alice", key);
  }
  ASSERT_EQ(handle.size(), 32u);
  auto listed = GetWithToken(*admin_, "/admin/api/v1/realms/acme/users/" + user_ids_["alice"] +
                                          "/credentials", token_);
  ASSERT_TRUE(listed);
  EXPECT_NE(listed->body.find("\"webauthn\""), std::string::npos) << listed->body;
  EXPECT_EQ(listed->body.find("public_key"), std::string::npos) << "no key material listed";

  BrowserClient second(server_->base_url());
  std::string challenge;
  http::ClientResponse mfa = MfaStep(second, "alice", &challenge);
  EXPECT_FALSE(second.cookies().count("idm_session")) << "no session before the second factor";
  TestCeremony c = Ceremony(challenge);
  c.sign_count = 2;
  http::ClientResponse done =
      Post(second, "mfa", mfa, {{"method", "webauthn"}, {"code", key.Get(c).ToJson()}});
  ASSERT_EQ(done.status, 302) << done.body;
  EXPECT_TRUE(second.cookies().count("idm_session"));

  // Username-less: the options name no credential and require user verification (§5.5).
  BrowserClient third(server_->base_url());
  http::ClientResponse login = LoginPage(third);
  ASSERT_NE(login.body.find("login-actions/passkey"), std::string::npos) << login.body;
  std::string ch;
  core::Json options = Options(third, login, &ch);
  EXPECT_EQ(options["allowCredentials"].size(), 0u);
  EXPECT_EQ(options["userVerification"], "required");
  TestCeremony p = Ceremony(ch);
  p.sign_count = 3;
  p.user_handle = "another handle";  // §7.2 step 6: must name the credential's owner
  http::ClientResponse wrong = Post(third, "passkey", login, {{"credential", key.Get(p).ToJson()}});
  EXPECT_EQ(wrong.status, 200);
  EXPECT_NE(wrong.body.find(kInvalidLogin), std::string::npos) << wrong.body;
  Options(third, wrong, &ch);
  p = Ceremony(ch);
  p.sign_count = 4;
  p.user_handle = handle;
  http::ClientResponse signed_in =
      Post(third, "passkey", wrong, {{"credential", key.Get(p).ToJson()}});
  ASSERT_EQ(signed_in.status, 302) << signed_in.body;
  EXPECT_TRUE(third.cookies().count("idm_session"));
}

TEST_P(WebAuthnLogin, PasswordlessLoginWithoutUserVerificationIsRefused) {
  TestAuthenticator key(-7);
  std::string handle;
  {
    BrowserClient browser(server_->base_url());
    handle = Enrol(browser, "alice", key);
  }
  BrowserClient browser(server_->base_url());
  http::ClientResponse login = LoginPage(browser);
  std::string ch;
  Options(browser, login, &ch);
  TestCeremony p = Ceremony(ch);
  p.sign_count = 7;
  p.user_handle = handle;
  p.flags = 0x01;  // UP only
  http::ClientResponse refused =
      Post(browser, "passkey", login, {{"credential", key.Get(p).ToJson()}});
  EXPECT_EQ(refused.status, 200);
  EXPECT_NE(refused.body.find(kInvalidLogin), std::string::npos) << refused.body;
  EXPECT_FALSE(browser.cookies().count("idm_session"));
}

TEST_P(WebAuthnLogin, RefusedAssertionsShowTheMfaPageAgainWithoutASession) {
  TestAuthenticator key(-8);
  TestAuthenticator other(-7);
  {
    BrowserClient browser(server_->base_url());
    Enrol(browser, "alice", key);
    BrowserClient b2(server_->base_url());
    Enrol(b2, "bob", other);
  }
  struct Case {
    const char* name;
    void (*mutate)(TestCeremony&);
    bool use_other_key;
  } cases[] = {
      {"wrong origin", [](TestCeremony& c) { c.origin = "https://evil.example"; }, false},
      {"wrong rp id", [](TestCeremony& c) { c.rp_id = "evil.example"; }, false},
      {"challenge not issued", [](TestCeremony& c) { c.challenge = "not-the-challenge"; }, false},
      {"user not present", [](TestCeremony& c) { c.flags = 0x00; }, false},
      {"counter regression", [](TestCeremony& c) { c.sign_count = 1; }, false},
      {"another user's passkey", [](TestCeremony&) {}, true},
  };
  for (const Case& k : cases) {
    BrowserClient browser(server_->base_url());
    std::string challenge;
    http::ClientResponse mfa = MfaStep(browser, "alice", &challenge);
    TestCeremony c = Ceremony(challenge);
    c.sign_count = 10;
    k.mutate(c);
    const TestAuthenticator& signer = k.use_other_key ? other : key;
    http::ClientResponse again =
        Post(browser, "mfa", mfa, {{"method", "webauthn"}, {"code", signer.Get(c).ToJson()}});
    EXPECT_EQ(again.status, 200) << k.name;
    EXPECT_NE(again.body.find(kInvalidCode), std::string::npos) << k.name;
    EXPECT_FALSE(browser.cookies().count("idm_session")) << k.name;
  }
  EXPECT_NE(AuditTrail().find("\"WebAuthnSignCountRegression\""), std::string::npos);
}

TEST_P(WebAuthnLogin, AWrongCodeInTheTotpFormKeepsThePasskeyButton) {
  TestAuthenticator key(-7);
  {
    BrowserClient browser(server_->base_url());
    Enrol(browser, "alice", key);
  }
  BrowserClient browser(server_->base_url());
  http::ClientResponse mfa = PasswordStep(browser, "alice");
  ASSERT_EQ(mfa.status, 200);
  http::ClientResponse again = Post(browser, "mfa", mfa, {{"method", "totp"}, {"code", "000000"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find(kInvalidCode), std::string::npos);
  EXPECT_NE(again.body.find("data-webauthn=\"get\""), std::string::npos) << again.body;
}

TEST_P(WebAuthnLogin, AChallengeIsUsedOnce) {
  TestAuthenticator key(-257);
  {
    BrowserClient browser(server_->base_url());
    Enrol(browser, "alice", key);
  }
  BrowserClient first(server_->base_url());
  std::string challenge;
  http::ClientResponse mfa = MfaStep(first, "alice", &challenge);
  TestCeremony c = Ceremony(challenge);
  c.sign_count = 5;
  const std::string assertion = key.Get(c).ToJson();
  ASSERT_EQ(Post(first, "mfa", mfa, {{"method", "webauthn"}, {"code", assertion}}).status, 302);
  BrowserClient second(server_->base_url());
  std::string unused;
  http::ClientResponse mfa2 = MfaStep(second, "alice", &unused);
  c.sign_count = 6;
  http::ClientResponse replay =
      Post(second, "mfa", mfa2, {{"method", "webauthn"}, {"code", key.Get(c).ToJson()}});
  EXPECT_EQ(replay.status, 200);
  EXPECT_NE(replay.body.find(kInvalidCode), std::string::npos);
}

TEST_P(WebAuthnLogin, RemovedPasskeyIsRefused) {
  TestAuthenticator key(-7);
  {
    BrowserClient browser(server_->base_url());
    Enrol(browser, "alice", key);
  }
  BrowserClient browser(server_->base_url());
  std::string challenge;
  http::ClientResponse mfa = MfaStep(browser, "alice", &challenge);
  auto reset = admin_->Send("DELETE",
                            "/admin/api/v1/realms/acme/users/" + user_ids_["alice"] +
                                "/credentials",
                            {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 204);
  TestCeremony c = Ceremony(challenge);
  c.sign_count = 9;
  http::ClientResponse after =
      Post(browser, "mfa", mfa, {{"method", "webauthn"}, {"code", key.Get(c).ToJson()}});
  EXPECT_FALSE(browser.cookies().count("idm_session"));
  EXPECT_NE(after.status, 302) << after.body;
}

TEST_P(WebAuthnLogin, OptionsEndpointRefusesABadCsrfTokenAndAFlowWithoutCeremony) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse login = LoginPage(browser);
  auto bad = browser.PostForm("/realms/acme/login-actions/webauthn-options",
                              {{"flow_id", HiddenInput(login.body, "flow_id")},
                               {"csrf_token", "forged"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 403);
  EXPECT_EQ(core::Json::parse(bad->body, nullptr, false).value("error", ""), "csrf");
  auto patched = admin_->Send("PATCH", "/admin/api/v1/realms/acme",
                              {{"Authorization", "Bearer " + token_}},
                              R"({"settings":{"passwordless_webauthn":false}})",
                              "application/merge-patch+json");
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  http::ClientResponse none = Post(browser, "webauthn-options", login, {});
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(core::Json::parse(none.body, nullptr, false).value("error", ""), "no_ceremony");
}

INSTANTIATE_TEST_SUITE_P(Backends, WebAuthnLogin,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
