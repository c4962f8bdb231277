// HOTP (RFC 4226, docs/design/023) in the browser login against the real binary, on SQLite and
// (with IDM_TEST_PG_URL) PostgreSQL: with mfa_policy "required" the enrolment page offers a
// counter-based authenticator instead of a time-based one (switch=hotp), shows its key and QR
// code and is confirmed by a first code (counter 0..9); later logins take the next code after
// the password. Codes are computed in the test from the key on the page (liboath). Wrong,
// replayed, out-of-window and another user's codes, and codes of a disabled method, all get the
// same generic answer and move nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include "idm/crypto/hotp.h"
#include "idm/crypto/totp.h"
#include "idm/http/server.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {


class HotpLogin : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
    server_ = std::make_unique<ServerProcess>(env_->dir(), env_->env());
    ASSERT_TRUE(server_->Start()) << server_->Output();
    admin_ = std::make_unique<http::Client>(server_->base_url());
    token_ = AdminToken(*admin_);
    ASSERT_FALSE(token_.empty());
    Created("/admin/api/v1/realms", {{"name", "acme"},
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

  http::ClientResponse PatchSettings(const core::Json& settings) {
    auto r =
        admin_->Send("PATCH", "/admin/api/v1/realms/acme", {{"Authorization", "Bearer " + token_}},
                     core::Json{{"settings", settings}}.dump(), "application/merge-patch+json");
    EXPECT_TRUE(r);
    return r ? *r : http::ClientResponse{};
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

  static std::string Code(const std::string& seed, uint64_t counter) {
    return crypto::HotpCode(seed, counter).value_or("");
  }

  // Enrols `username` with an HOTP authenticator through the login (policy required), confirming
  // with the code of `first_counter`; returns the seed.
  std::string Enrol(const std::string& username, uint64_t first_counter = 0) {
    BrowserClient browser(server_->base_url());
    http::ClientResponse totp_page = PasswordStep(browser, username);
    EXPECT_EQ(totp_page.status, 200) << totp_page.body;
    EXPECT_NE(totp_page.body.find("name=\"switch\" value=\"hotp\""), std::string::npos)
        << "the enrolment page offers HOTP: " << totp_page.body;
    http::ClientResponse enrol = Post(browser, "mfa-enroll", totp_page, {{"switch", "hotp"}});
    EXPECT_EQ(enrol.status, 200) << enrol.body;
    EXPECT_NE(enrol.body.find("<svg"), std::string::npos) << "the QR code is inline SVG";
    EXPECT_NE(enrol.body.find("name=\"switch\" value=\"totp\""), std::string::npos)
        << "and the way back to TOTP";
    const std::string seed = SeedOnPage(enrol.body);
    EXPECT_EQ(seed.size(), 20u);
    EXPECT_NE(seed, SeedOnPage(totp_page.body));
    http::ClientResponse codes =
        Post(browser, "mfa-enroll", enrol, {{"code", Code(seed, first_counter)}});
    EXPECT_EQ(codes.status, 200) << codes.body;
    EXPECT_NE(codes.body.find("class=\"recovery-codes\""), std::string::npos) << codes.body;
    http::ClientResponse done = Post(browser, "recovery-codes", codes, {});
    EXPECT_EQ(done.status, 302) << done.body;
    EXPECT_EQ(UrlParam(done.Header("Location").value_or(""), "code").rfind("idm_ac_", 0), 0u);
    return seed;
  }

  // Password and then `code` as an HOTP code in a fresh browser: true when it signed in.
  bool SignsIn(const std::string& username, const std::string& code, std::string* body = nullptr) {
    BrowserClient browser(server_->base_url());
    http::ClientResponse mfa = PasswordStep(browser, username);
    EXPECT_EQ(mfa.status, 200);
    http::ClientResponse r = Post(browser, "mfa", mfa, {{"method", "hotp"}, {"code", code}});
    if (body) *body = r.body;
    if (r.status == 302) {
      EXPECT_EQ(UrlParam(r.Header("Location").value_or(""), "code").rfind("idm_ac_", 0), 0u);
      EXPECT_TRUE(browser.cookies().count("idm_session"));
      return true;
    }
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find(kInvalidCode), std::string::npos) << r.body;
    EXPECT_FALSE(browser.cookies().count("idm_session"));
    return false;
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> admin_;
  std::string token_;
  std::map<std::string, std::string> user_ids_;
};

TEST_P(HotpLogin, EnrolsCounterBasedInsteadOfTimeBasedThenSignsInWithTheNextCode) {
  const std::string seed = Enrol("alice");
  BrowserClient browser(server_->base_url());
  http::ClientResponse mfa = PasswordStep(browser, "alice");
  ASSERT_EQ(mfa.status, 200);
  EXPECT_NE(mfa.body.find("name=\"method\" value=\"hotp\""), std::string::npos) << mfa.body;
  EXPECT_EQ(mfa.body.find("name=\"method\" value=\"totp\""), std::string::npos)
      << "alice has no TOTP authenticator";
  http::ClientResponse done =
      Post(browser, "mfa", mfa, {{"method", "hotp"}, {"code", Code(seed, 1)}});
  ASSERT_EQ(done.status, 302) << done.body;
  EXPECT_EQ(UrlParam(done.Header("Location").value_or(""), "code").rfind("idm_ac_", 0), 0u);
}

TEST_P(HotpLogin, WrongReplayedOutOfWindowAndForeignCodesAreRefusedAlike) {
  const std::string alice_seed = Enrol("alice");  // counter 0 used
  const std::string bob_seed = Enrol("bob");
  std::string wrong = "000000";
  for (uint64_t c = 1; c <= crypto::kHotpLookAhead; ++c) {
    if (Code(alice_seed, c) == wrong) wrong = "111111";
  }
  struct Case {
    const char* name;
    std::string code;
  } cases[] = {
      {"wrong code", wrong},
      {"replayed code (the enrolment's counter 0)", Code(alice_seed, 0)},
      {"out of the look-ahead window (counter 11 after 0)",
       Code(alice_seed, 1 + crypto::kHotpLookAhead)},
      {"another user's code", Code(bob_seed, 1)},
  };
  for (const Case& c : cases) EXPECT_FALSE(SignsIn("alice", c.code)) << c.name;
  // None of them moved alice's counter: her next code still works, then never again.
  EXPECT_TRUE(SignsIn("alice", Code(alice_seed, 1)));
  EXPECT_FALSE(SignsIn("alice", Code(alice_seed, 1))) << "replayed";
}

TEST_P(HotpLogin, LookAheadResynchronisesAndEarlierCodesStopWorking) {
  const std::string seed = Enrol("alice", /*first_counter=*/3);
  EXPECT_FALSE(SignsIn("alice", Code(seed, 2))) << "below the confirmed counter";
  EXPECT_TRUE(SignsIn("alice", Code(seed, 13))) << "3 + 10: the last counter of the window";
  EXPECT_FALSE(SignsIn("alice", Code(seed, 12))) << "RFC 4226 §7.2: earlier than accepted";
  EXPECT_TRUE(SignsIn("alice", Code(seed, 14)));
}

TEST_P(HotpLogin, DisabledMethodIsNeitherOfferedNorAccepted) {
  const std::string seed = Enrol("alice");
  http::ClientResponse patched = PatchSettings({{"mfa_methods", {"totp", "recovery_code"}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = PasswordStep(browser, "alice");
  ASSERT_EQ(page.status, 200);
  // alice's only authenticator is HOTP: with it disabled she must enrol a TOTP one.
  EXPECT_NE(page.body.find("class=\"secret\""), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("value=\"hotp\""), std::string::npos) << page.body;
  http::ClientResponse refused =
      Post(browser, "mfa", page, {{"method", "hotp"}, {"code", Code(seed, 1)}});
  EXPECT_EQ(refused.status, 200);
  EXPECT_NE(refused.body.find(kInvalidCode), std::string::npos) << refused.body;
  EXPECT_FALSE(browser.cookies().count("idm_session"));
  http::ClientResponse switched = Post(browser, "mfa-enroll", page, {{"switch", "hotp"}});
  EXPECT_EQ(switched.status, 200);
  EXPECT_EQ(SeedOnPage(switched.body), SeedOnPage(page.body)) << "still the TOTP enrolment";
  // Enabled again, the same code works: nothing was used up while it was disabled.
  ASSERT_EQ(PatchSettings({{"mfa_methods", core::Json::array()}}).status, 200);
  EXPECT_TRUE(SignsIn("alice", Code(seed, 1)));
}

TEST_P(HotpLogin, OnlyHotpAllowedEnrolsItDirectlyAndTheAdminListsItWithoutItsSeed) {
  ASSERT_EQ(PatchSettings({{"mfa_methods", {"hotp", "recovery_code"}}}).status, 200);
  BrowserClient browser(server_->base_url());
  http::ClientResponse enrol = PasswordStep(browser, "bob");
  ASSERT_EQ(enrol.status, 200);
  EXPECT_EQ(enrol.body.find("name=\"switch\""), std::string::npos) << "nothing to switch to";
  const std::string seed = SeedOnPage(enrol.body);
  ASSERT_EQ(seed.size(), 20u);
  http::ClientResponse codes = Post(browser, "mfa-enroll", enrol, {{"code", Code(seed, 0)}});
  ASSERT_EQ(codes.status, 200) << codes.body;
  auto listed = GetWithToken(
      *admin_, "/admin/api/v1/realms/acme/users/" + user_ids_["bob"] + "/credentials", token_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  core::Json body = core::Json::parse(listed->body);
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["type"], "hotp");
  EXPECT_EQ(body["items"][0]["confirmed"], true);
  EXPECT_FALSE(body["items"][0].contains("secret"));
  EXPECT_EQ(listed->body.find(crypto::Base32Encode(seed)), std::string::npos);
}

TEST_P(HotpLogin, UnknownMethodsInMfaMethodsAndSwitchAreRefused) {
  http::ClientResponse bad = PatchSettings({{"mfa_methods", {"hotp", "hotp"}}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  BrowserClient browser(server_->base_url());
  http::ClientResponse enrol = PasswordStep(browser, "alice");
  http::ClientResponse r = Post(browser, "mfa-enroll", enrol, {{"switch", "sms"}});
  EXPECT_EQ(r.status, 400) << r.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, HotpLogin,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
