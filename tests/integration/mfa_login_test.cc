// Second factors in the browser login against the real binary (docs/design/017), on SQLite and
// (with IDM_TEST_PG_URL) PostgreSQL: realm mfa_policy "required" makes a user enrol a TOTP
// authenticator at login (QR code and key on the page, confirmed by a first code); later logins
// ask for a code after the password. Codes are computed in the test from the key shown on the
// page (liboath, RFC 6238). Wrong, replayed (same time step twice, RFC 6238 §5.2), expired
// (outside the ±1 step window) and another user's codes all get the same generic answer.
#include <gtest/gtest.h>
#include <signal.h>

#include <ctime>

#include "idm/crypto/totp.h"
#include "idm/http/server.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {


class MfaLogin : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
    server_ = std::make_unique<ServerProcess>(env_->dir(), env_->env());
    ASSERT_TRUE(server_->Start()) << server_->Output();
    admin_ = std::make_unique<http::Client>(server_->base_url());
    token_ = AdminToken(*admin_);
    ASSERT_FALSE(token_.empty());
    Created("/admin/api/v1/realms",
            {{"name", "acme"},
             {"display_name", "Acme Corp"},
             {"settings",
              {{"mfa_policy", "required"},
               {"brute_force_max_failures", 20},
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
                                                  {"scopes", {"openid", "profile"}},
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

  std::string CredentialsPath(const std::string& username) {
    return "/admin/api/v1/realms/acme/users/" + user_ids_[username] + "/credentials";
  }

  // A fresh browser: authorization request, login page, password. Returns the page after it.
  http::ClientResponse PasswordStep(BrowserClient& browser, const std::string& username) {
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
    auto after = browser.PostForm("/realms/acme/login-actions/authenticate",
                                  {{"flow_id", HiddenInput(page->body, "flow_id")},
                                   {"csrf_token", HiddenInput(page->body, "csrf_token")},
                                   {"username", username},
                                   {"password", kPassword}});
    EXPECT_TRUE(after);
    return after ? *after : http::ClientResponse{};
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

  // The key shown on the enrolment page (<code class="secret">...</code>), decoded.
  static std::string SeedOnPage(const std::string& html) {
    const std::string open = "<code class=\"secret\">";
    size_t a = html.find(open);
    if (a == std::string::npos) return "";
    a += open.size();
    return crypto::Base32Decode(html.substr(a, html.find('<', a) - a)).value_or("");
  }

  static std::string CodeAt(const std::string& seed, int64_t unix_seconds) {
    return crypto::TotpCode(seed, unix_seconds, crypto::TotpParams{}).value_or("");
  }

  // Enrols `username` through the login (policy required) and returns the seed.
  std::string Enrol(const std::string& username) {
    BrowserClient browser(server_->base_url());
    http::ClientResponse enrol = PasswordStep(browser, username);
    EXPECT_EQ(enrol.status, 200) << enrol.body;
    EXPECT_NE(enrol.body.find("<svg"), std::string::npos) << "the QR code is inline SVG";
    const std::string seed = SeedOnPage(enrol.body);
    EXPECT_EQ(seed.size(), 20u);
    enrolled_at_[username] = std::time(nullptr);
    http::ClientResponse codes =
        Post(browser, "mfa-enroll", enrol, {{"code", CodeAt(seed, enrolled_at_[username])}});
    EXPECT_EQ(codes.status, 200) << codes.body;
    EXPECT_NE(codes.body.find("class=\"recovery-codes\""), std::string::npos) << codes.body;
    http::ClientResponse done = Post(browser, "recovery-codes", codes, {});
    EXPECT_EQ(done.status, 302) << done.body;
    EXPECT_EQ(UrlParam(done.Header("Location").value_or(""), "code").rfind("idm_ac_", 0), 0u);
    return seed;
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> admin_;
  std::string token_;
  std::map<std::string, int64_t> enrolled_at_;
  std::map<std::string, std::string> user_ids_;  // the time whose code confirmed the enrolment
};

TEST_P(MfaLogin, RequiredPolicyEnrolsThenPasswordAndTotpCodeSignIn) {
  const std::string seed = Enrol("alice");
  BrowserClient browser(server_->base_url());
  http::ClientResponse mfa = PasswordStep(browser, "alice");
  ASSERT_EQ(mfa.status, 200);
  EXPECT_NE(mfa.body.find("name=\"method\" value=\"totp\""), std::string::npos) << mfa.body;
  EXPECT_FALSE(browser.cookies().count("idm_session")) << "no session before the second factor";
  // The enrolment used the current step: the next code must come from a later step or it would
  // be a replay, so the test uses the next step's code (inside the ±1 window).
  http::ClientResponse done =
      Post(browser, "mfa", mfa, {{"method", "totp"}, {"code", CodeAt(seed, std::time(nullptr) + 30)}});
  ASSERT_EQ(done.status, 302) << done.body;
  EXPECT_EQ(UrlParam(done.Header("Location").value_or(""), "code").rfind("idm_ac_", 0), 0u);
  EXPECT_TRUE(browser.cookies().count("idm_session"));
}

TEST_P(MfaLogin, WrongReplayedExpiredAndForeignCodesAreRefusedAlike) {
  const std::string alice_seed = Enrol("alice");
  const std::string bob_seed = Enrol("bob");
  const int64_t now = std::time(nullptr);
  struct Case {
    const char* name;
    std::string code;
  } cases[] = {
      {"wrong code", CodeAt(alice_seed, now + 30) == "000000" ? "111111" : "000000"},
      {"replayed code (the enrolment's step)", CodeAt(alice_seed, enrolled_at_["alice"])},
      {"expired code (three steps old)", CodeAt(alice_seed, now - 90)},
      {"another user's code", CodeAt(bob_seed, now + 30)},
  };
  for (const Case& c : cases) {
    BrowserClient browser(server_->base_url());
    http::ClientResponse mfa = PasswordStep(browser, "alice");
    ASSERT_EQ(mfa.status, 200) << c.name;
    http::ClientResponse again = Post(browser, "mfa", mfa, {{"method", "totp"}, {"code", c.code}});
    EXPECT_EQ(again.status, 200) << c.name;
    EXPECT_NE(again.body.find(kInvalidCode), std::string::npos) << c.name;
    EXPECT_FALSE(browser.cookies().count("idm_session")) << c.name;
  }
}

TEST_P(MfaLogin, ACodeIsAcceptedOnceAcrossTwoLogins) {
  const std::string seed = Enrol("alice");
  const std::string code = CodeAt(seed, std::time(nullptr) + 30);
  BrowserClient first(server_->base_url()), second(server_->base_url());
  http::ClientResponse mfa1 = PasswordStep(first, "alice");
  http::ClientResponse mfa2 = PasswordStep(second, "alice");
  EXPECT_EQ(Post(first, "mfa", mfa1, {{"method", "totp"}, {"code", code}}).status, 302);
  http::ClientResponse replay = Post(second, "mfa", mfa2, {{"method", "totp"}, {"code", code}});
  EXPECT_EQ(replay.status, 200);
  EXPECT_NE(replay.body.find(kInvalidCode), std::string::npos);
}

TEST_P(MfaLogin, MfaFormWithoutItsCsrfTokenIsRefused) {
  Enrol("alice");
  BrowserClient browser(server_->base_url());
  http::ClientResponse mfa = PasswordStep(browser, "alice");
  auto r = browser.PostForm("/realms/acme/login-actions/mfa",
                            {{"flow_id", HiddenInput(mfa.body, "flow_id")},
                             {"method", "totp"},
                             {"code", "123456"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
}

TEST_P(MfaLogin, AdminListsFactorsWithoutSecretsAndARemovedCredentialNoLongerSignsIn) {
  const std::string seed = Enrol("alice");
  auto listed = GetWithToken(*admin_, CredentialsPath("alice"), token_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  core::Json body = core::Json::parse(listed->body);
  ASSERT_EQ(body["items"].size(), 1u);
  const core::Json& cred = body["items"][0];
  EXPECT_EQ(cred["type"], "totp");
  EXPECT_EQ(cred["confirmed"], true);
  EXPECT_FALSE(cred.contains("secret"));
  EXPECT_EQ(listed->body.find(crypto::Base32Encode(seed)), std::string::npos);

  BrowserClient browser(server_->base_url());
  http::ClientResponse mfa = PasswordStep(browser, "alice");
  ASSERT_EQ(mfa.status, 200);
  const auto auth = http::Headers{{"Authorization", "Bearer " + token_}};
  auto removed = admin_->Send("DELETE", CredentialsPath("alice") + "/" + cred["id"].get<std::string>(),
                              auth);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->status, 204) << removed->body;
  http::ClientResponse refused =
      Post(browser, "mfa", mfa, {{"method", "totp"}, {"code", CodeAt(seed, std::time(nullptr) + 30)}});
  EXPECT_EQ(refused.status, 200);
  EXPECT_NE(refused.body.find(kInvalidCode), std::string::npos);
  auto gone = admin_->Send("DELETE", CredentialsPath("alice") + "/" + cred["id"].get<std::string>(),
                           auth);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  // Policy required and no factor left: the next login enrols again.
  BrowserClient next(server_->base_url());
  http::ClientResponse enrol = PasswordStep(next, "alice");
  EXPECT_NE(enrol.body.find("class=\"secret\""), std::string::npos) << enrol.body;
}

TEST_P(MfaLogin, ResetRemovesEveryFactorOfTheUser) {
  Enrol("bob");
  auto reset = admin_->Send("DELETE", CredentialsPath("bob"),
                            {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 204) << reset->body;
  auto listed = GetWithToken(*admin_, CredentialsPath("bob"), token_);
  ASSERT_TRUE(listed);
  EXPECT_EQ(core::Json::parse(listed->body)["items"].size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MfaLogin,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
