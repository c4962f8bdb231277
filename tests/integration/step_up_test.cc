// Authentication levels and step-up against the real binary (docs/design/020), on SQLite and
// (with IDM_TEST_PG_URL) PostgreSQL: discovery advertises the levels (OIDC Discovery §3); an
// essential acr in the `claims` parameter (OIDC Core §5.5.1.1) sends a password session to the
// missing factor only and the session is upgraded in place; acr_values (§3.1.2.1) is then
// satisfied without a page; an unreachable essential acr ends with
// unmet_authentication_requirements at the client; per-client and per-role require_mfa through
// the admin API; realm settings mfa_methods / acr_levels validated; the recovery codes page.
#include <gtest/gtest.h>
#include <signal.h>

#include <ctime>

#include "idm/crypto/jwt.h"
#include "idm/crypto/totp.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

constexpr char kEssentialMfa[] = R"({"id_token":{"acr":{"essential":true,"values":["mfa"]}}})";

class StepUp : public ::testing::TestWithParam<Backend> {
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
             {"settings", {{"brute_force_max_failures", 20}, {"brute_force_max_delay_ms", 0}}}});
    alice_id_ = Created("/admin/api/v1/realms/acme/users",
                        {{"username", "alice"}, {"password", kPassword}})["id"];
    client_uuid_ = Created("/admin/api/v1/realms/acme/clients",
                           {{"client_id", "app2"},
                            {"type", "public"},
                            {"redirect_uris", {kRedirect}},
                            {"grant_types", {"authorization_code"}},
                            {"token_endpoint_auth_method", "none"},
                            {"scopes", {"openid", "profile"}},
                            {"consent_required", false}})["id"];
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

  http::ClientResponse Patch(const std::string& path, const core::Json& body) {
    auto r = admin_->Send("PATCH", path, {{"Authorization", "Bearer " + token_}}, body.dump(),
                          "application/merge-patch+json");
    EXPECT_TRUE(r) << path;
    return r ? *r : http::ClientResponse{};
  }

  static std::string AuthPath(const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<std::pair<std::string, std::string>> p = {{"client_id", "app2"},
                                                          {"response_type", "code"},
                                                          {"scope", "openid"},
                                                          {"redirect_uri", kRedirect},
                                                          {"state", "st"},
                                                          {"code_challenge", kChallenge},
                                                          {"code_challenge_method", "S256"}};
    p.insert(p.end(), extra.begin(), extra.end());
    return "/realms/acme/protocol/openid-connect/auth?" + FormEncode(p);
  }

  // The authorization request; follows the 303 to the flow's page when there is one.
  http::ClientResponse Authorize(BrowserClient& browser,
                                 const std::vector<std::pair<std::string, std::string>>& extra) {
    auto r = browser.Get(AuthPath(extra));
    EXPECT_TRUE(r);
    if (!r || r->status != 303) return r ? *r : http::ClientResponse{};
    auto page = browser.Get(r->Header("Location").value_or(""));
    EXPECT_TRUE(page);
    return page ? *page : http::ClientResponse{};
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

  // A password sign-in in `browser`; returns the redirect to the client.
  http::ClientResponse PasswordLogin(BrowserClient& browser) {
    http::ClientResponse page = Authorize(browser, {});
    return Post(browser, "authenticate", page, {{"username", "alice"}, {"password", kPassword}});
  }

  static std::string SeedOnPage(const std::string& html) {
    const std::string open = "<code class=\"secret\">";
    size_t a = html.find(open);
    if (a == std::string::npos) return "";
    a += open.size();
    return crypto::Base32Decode(html.substr(a, html.find('<', a) - a)).value_or("");
  }

  // The ID token's claims for the code in a redirect to the client.
  core::Json IdTokenClaims(const http::ClientResponse& redirect) {
    const std::string code = UrlParam(redirect.Header("Location").value_or(""), "code");
    auto r = admin_->Post("/realms/acme/protocol/openid-connect/token",
                          FormEncode({{"grant_type", "authorization_code"},
                                      {"code", code},
                                      {"client_id", "app2"},
                                      {"redirect_uri", kRedirect},
                                      {"code_verifier", kVerifier}}),
                          "application/x-www-form-urlencoded");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
    if (!r || r->status != 200) return core::Json::object();
    auto jwt = crypto::JwtDecodeUnverified(core::Json::parse(r->body)["id_token"].get<std::string>());
    EXPECT_TRUE(jwt);
    return jwt ? jwt->claims : core::Json::object();
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> admin_;
  std::string token_;
  std::string alice_id_;
  std::string client_uuid_;
};

TEST_P(StepUp, DiscoveryAdvertisesTheRealmsLevelsAndTheClaimsParameter) {
  auto r = admin_->Get("/realms/acme/.well-known/openid-configuration");
  ASSERT_TRUE(r);
  core::Json doc = core::Json::parse(r->body);
  EXPECT_EQ(doc["acr_values_supported"],
            core::Json::array({"pwd", "mfa", "phishing-resistant"}));
  EXPECT_EQ(doc["claims_parameter_supported"], true);
}

TEST_P(StepUp, EssentialMfaOnAPasswordSessionAsksOnlyTheMissingFactorAndUpgradesTheSession) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse first = PasswordLogin(browser);
  ASSERT_EQ(first.status, 302) << first.body;
  core::Json pwd = IdTokenClaims(first);
  EXPECT_EQ(pwd["acr"], "pwd");
  EXPECT_EQ(pwd["amr"], core::Json::array({"pwd"}));
  const std::string cookie = browser.cookies().at("idm_session");

  // Alice has no factor: the essential acr sends her to enrolment, with no password page.
  http::ClientResponse enrol = Authorize(browser, {{"claims", kEssentialMfa}});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  EXPECT_EQ(enrol.body.find("name=\"password\""), std::string::npos);
  const std::string seed = SeedOnPage(enrol.body);
  ASSERT_EQ(seed.size(), 20u) << enrol.body;
  const int64_t now = std::time(nullptr);
  http::ClientResponse codes =
      Post(browser, "mfa-enroll", enrol,
           {{"code", crypto::TotpCode(seed, now, crypto::TotpParams{}).value_or("")}});
  ASSERT_EQ(codes.status, 200) << codes.body;
  http::ClientResponse done = Post(browser, "recovery-codes", codes, {});
  ASSERT_EQ(done.status, 302) << done.body;
  EXPECT_EQ(browser.cookies().at("idm_session"), cookie) << "the same session, upgraded in place";
  core::Json mfa = IdTokenClaims(done);
  EXPECT_EQ(mfa["acr"], "mfa");
  EXPECT_EQ(mfa["amr"], core::Json::array({"pwd", "otp", "mfa"}));
  EXPECT_TRUE(mfa.contains("auth_time"));
  EXPECT_EQ(mfa["sid"], pwd["sid"]);

  // The session now satisfies acr_values=mfa (and max_age): the code comes at once.
  auto again = browser.Get(AuthPath({{"acr_values", "mfa"}, {"max_age", "600"}}));
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 302) << again->body;
  core::Json reused = IdTokenClaims(*again);
  EXPECT_EQ(reused["acr"], "mfa");
  EXPECT_EQ(reused["auth_time"], mfa["auth_time"]);
}

TEST_P(StepUp, UnreachableEssentialAcrRedirectsWithUnmetAuthenticationRequirements) {
  BrowserClient browser(server_->base_url());
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  auto r = browser.Get(AuthPath(
      {{"claims", R"({"id_token":{"acr":{"essential":true,"value":"phishing-resistant"}}})"}}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302) << r->body;
  const std::string location = r->Header("Location").value_or("");
  EXPECT_EQ(location.rfind(kRedirect, 0), 0u) << location;
  EXPECT_EQ(UrlParam(location, "error"), "unmet_authentication_requirements");
  EXPECT_EQ(UrlParam(location, "state"), "st");
  EXPECT_TRUE(UrlParam(location, "code").empty());
}

TEST_P(StepUp, MalformedClaimsParameterIsInvalidRequest) {
  BrowserClient browser(server_->base_url());
  for (const char* claims : {"not json", "[1]", R"({"id_token":{"acr":{"essential":true,"values":"mfa"}}})"}) {
    auto r = browser.Get(AuthPath({{"claims", claims}}));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 302) << claims;
    EXPECT_EQ(UrlParam(r->Header("Location").value_or(""), "error"), "invalid_request") << claims;
  }
}

TEST_P(StepUp, ClientRequireMfaIsInTheAdminApiAndStepsUpAnEarlierSession) {
  BrowserClient browser(server_->base_url());
  ASSERT_EQ(PasswordLogin(browser).status, 302);
  http::ClientResponse patched =
      Patch("/admin/api/v1/realms/acme/clients/" + client_uuid_, {{"require_mfa", true}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(core::Json::parse(patched.body)["require_mfa"], true);
  EXPECT_EQ(core::Json::parse(patched.body)["require_phishing_resistant"], false);
  http::ClientResponse page = Authorize(browser, {});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("class=\"secret\""), std::string::npos)
      << "the policy was tightened mid-session: enrolment before the next code";
}

TEST_P(StepUp, RoleRequireMfaHeldThroughAGroupSendsTheNextLoginToEnrolment) {
  const std::string role = Created("/admin/api/v1/realms/acme/roles",
                                   {{"name", "auditor"}, {"require_mfa", true}})["id"];
  const std::string group =
      Created("/admin/api/v1/realms/acme/groups", {{"name", "finance"}})["id"];
  auto granted = PostJson(*admin_, "/admin/api/v1/realms/acme/groups/" + group + "/role-mappings",
                          {{"role_id", role}}, token_);
  ASSERT_TRUE(granted);
  ASSERT_LT(granted->status, 300) << granted->body;
  auto member = admin_->Send("PUT",
                             "/admin/api/v1/realms/acme/groups/" + group + "/members/" + alice_id_,
                             {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(member);
  ASSERT_LT(member->status, 300) << member->body;
  auto shown = GetWithToken(*admin_, "/admin/api/v1/realms/acme/roles/" + role, token_);
  ASSERT_TRUE(shown);
  EXPECT_EQ(core::Json::parse(shown->body)["require_mfa"], true);
  BrowserClient browser(server_->base_url());
  http::ClientResponse after = PasswordLogin(browser);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_NE(after.body.find("class=\"secret\""), std::string::npos) << after.body;
  EXPECT_FALSE(browser.cookies().count("idm_session"));
}

TEST_P(StepUp, RealmSettingsRefuseUnknownMethodsAndUnorderedLevels) {
  for (const core::Json& settings :
       {core::Json{{"mfa_methods", {"sms"}}}, core::Json{{"acr_levels", {"mfa", "pwd"}}},
        core::Json{{"acr_levels", core::Json::array()}}}) {
    http::ClientResponse r = Patch("/admin/api/v1/realms/acme", {{"settings", settings}});
    EXPECT_EQ(r.status, 400) << settings.dump() << ": " << r.body;
  }
  http::ClientResponse ok =
      Patch("/admin/api/v1/realms/acme", {{"settings", {{"acr_levels", {"pwd", "mfa"}}}}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_P(StepUp, RecoveryCodesContinueNeedsTheFlowsCsrfToken) {
  Patch("/admin/api/v1/realms/acme", {{"settings", {{"mfa_policy", "required"}}}});
  BrowserClient browser(server_->base_url());
  http::ClientResponse enrol = PasswordLogin(browser);
  const std::string seed = SeedOnPage(enrol.body);
  http::ClientResponse codes =
      Post(browser, "mfa-enroll", enrol,
           {{"code", crypto::TotpCode(seed, std::time(nullptr), crypto::TotpParams{}).value_or("")}});
  ASSERT_EQ(codes.status, 200);
  size_t shown = 0;
  for (size_t at = codes.body.find("<li><code>"); at != std::string::npos;
       at = codes.body.find("<li><code>", at + 1)) {
    ++shown;
  }
  EXPECT_EQ(shown, 10u) << codes.body;
  auto forged = browser.PostForm("/realms/acme/login-actions/recovery-codes",
                                 {{"flow_id", HiddenInput(codes.body, "flow_id")}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  auto reload = browser.Get("/realms/acme/login-actions/authenticate?flow_id=" +
                            HiddenInput(codes.body, "flow_id"));
  ASSERT_TRUE(reload);
  EXPECT_EQ(reload->body.find("<li><code>"), std::string::npos) << "the codes are shown once";
}

INSTANTIATE_TEST_SUITE_P(Backends, StepUp,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
