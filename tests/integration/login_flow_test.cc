// The browser login end to end against the real binary (docs/design/013), on SQLite and (with
// IDM_TEST_PG_URL) PostgreSQL: authorization request -> login page -> consent -> redirect with
// code, state and iss (RFC 6749 §4.1.2, RFC 9207 §2); form_post; SSO for a second client;
// prompt/max_age (OIDC Core §3.1.2.1); prompt=none errors (§3.1.2.6); never redirecting to an
// unregistered URI (RFC 6749 §4.1.2.1); CSRF; brute-force lockout and admin unlock; consent
// revocation; two nodes serving one flow.
#include <gtest/gtest.h>
#include <signal.h>

#include <ctime>
#include <filesystem>
#include <mutex>
#include <thread>

#include "idm/crypto/jwk.h"
#include "idm/crypto/jwt.h"
#include "idm/http/server.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

constexpr char kApp1Redirect[] = "https://app1.example/cb";
constexpr char kApp2Redirect[] = "https://app2.example/cb";
constexpr char kLoginFailed[] = "The username or password is incorrect.";

class LoginFlow : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
  }

  // Starts a node and provisions realm acme (3 failures lock, no delay), user alice, client app1
  // (consent required) and app2 (first party, no consent).
  void StartAndProvision(std::map<std::string, std::string> extra_env = {}) {
    auto env = env_->env();
    for (auto& [k, v] : extra_env) env[k] = v;
    server_ = std::make_unique<ServerProcess>(env_->dir(), env);
    ASSERT_TRUE(server_->Start()) << server_->Output();
    admin_ = std::make_unique<http::Client>(server_->base_url());
    token_ = AdminToken(*admin_);
    ASSERT_FALSE(token_.empty());
    core::Json realm = {
        {"name", "acme"},
        {"settings", {{"brute_force_max_failures", 3}, {"brute_force_max_delay_ms", 0}}}};
    Created("/admin/api/v1/realms", realm);
    alice_id_ = Created(
        "/admin/api/v1/realms/acme/users",
        {{"username", "alice"}, {"email", "alice@example.com"}, {"password", kPassword}})["id"];
    Created("/admin/api/v1/realms/acme/clients", {{"client_id", "app1"},
                                                  {"name", "App One"},
                                                  {"type", "public"},
                                                  {"redirect_uris", {kApp1Redirect}},
                                                  {"grant_types", {"authorization_code"}},
                                                  {"token_endpoint_auth_method", "none"},
                                                  {"scopes", {"openid", "profile", "email"}},
                                                  {"consent_required", true}});
    Created("/admin/api/v1/realms/acme/clients", {{"client_id", "app2"},
                                                  {"type", "public"},
                                                  {"redirect_uris", {kApp2Redirect}},
                                                  {"grant_types", {"authorization_code"}},
                                                  {"token_endpoint_auth_method", "none"},
                                                  {"scopes", {"openid", "profile"}},
                                                  {"consent_required", false}});
    browser_ = std::make_unique<BrowserClient>(server_->base_url());
  }

  core::Json Created(const std::string& path, const core::Json& body) {
    auto r = PostJson(*admin_, path, body, token_);
    EXPECT_TRUE(r) << path;
    if (!r) return core::Json::object();
    EXPECT_EQ(r->status, 201) << path << ": " << r->body;
    return core::Json::parse(r->body, nullptr, false);
  }

  std::string Issuer() const { return server_->base_url() + "/realms/acme"; }

  static std::string AuthPath(const std::string& client_id, const std::string& redirect,
                              const std::string& extra = "") {
    return "/realms/acme/protocol/openid-connect/auth?" +
           FormEncode({{"client_id", client_id},
                       {"response_type", "code"},
                       {"scope", "openid profile"},
                       {"redirect_uri", redirect},
                       {"state", "st-" + client_id},
                       {"nonce", "n-1"},
                       {"code_challenge", kChallenge},
                       {"code_challenge_method", "S256"}}) +
           extra;
  }

  // Follows the authorization endpoint's 303 to the flow page; returns it (200 expected).
  http::ClientResponse StartFlow(const std::string& auth_path) {
    auto r = browser_->Get(auth_path);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 303) << r->body;
    auto page = browser_->Get(r->Header("Location").value_or(""));
    EXPECT_TRUE(page);
    return page ? *page : http::ClientResponse{};
  }

  http::ClientResponse SubmitLogin(const http::ClientResponse& page, const std::string& username,
                                   const std::string& password) {
    auto r = browser_->PostForm("/realms/acme/login-actions/authenticate",
                                {{"flow_id", HiddenInput(page.body, "flow_id")},
                                 {"csrf_token", HiddenInput(page.body, "csrf_token")},
                                 {"username", username},
                                 {"password", password}});
    EXPECT_TRUE(r);
    return r ? *r : http::ClientResponse{};
  }

  http::ClientResponse SubmitConsent(const http::ClientResponse& page,
                                     const std::string& decision) {
    auto r = browser_->PostForm("/realms/acme/login-actions/consent",
                                {{"flow_id", HiddenInput(page.body, "flow_id")},
                                 {"csrf_token", HiddenInput(page.body, "csrf_token")},
                                 {"decision", decision}});
    EXPECT_TRUE(r);
    return r ? *r : http::ClientResponse{};
  }

  // Signs alice in to app1 and approves consent; returns the final redirect.
  http::ClientResponse LoginToApp1() {
    http::ClientResponse login = StartFlow(AuthPath("app1", kApp1Redirect));
    EXPECT_EQ(login.status, 200);
    http::ClientResponse consent = SubmitLogin(login, "alice", kPassword);
    EXPECT_EQ(consent.status, 200) << consent.body;
    EXPECT_NE(consent.body.find("App One"), std::string::npos);
    return SubmitConsent(consent, "approve");
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> admin_;
  std::unique_ptr<BrowserClient> browser_;
  std::string token_;
  std::string alice_id_;
};

TEST_P(LoginFlow, LoginThenConsentRedirectsWithCodeStateAndIss) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  http::ClientResponse login = StartFlow(AuthPath("app1", kApp1Redirect));
  ASSERT_EQ(login.status, 200);
  EXPECT_NE(login.Header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(login.Header("Cache-Control").value_or(""), "no-store");
  EXPECT_FALSE(HiddenInput(login.body, "csrf_token").empty());
  http::ClientResponse consent = SubmitLogin(login, "alice", kPassword);
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_TRUE(browser_->cookies().count("idm_session")) << "SSO cookie set at authentication";
  EXPECT_NE(consent.body.find("name=\"decision\""), std::string::npos);
  // The consent form's answer redirects to the client: CSP form-action must allow it (a real
  // browser blocks the redirect otherwise; tests/interop sees it in Chromium).
  EXPECT_NE(consent.Header("Content-Security-Policy").value_or("").find(
                "form-action 'self' https://app1.example/cb"),
            std::string::npos);

  http::ClientResponse done = SubmitConsent(consent, "approve");
  ASSERT_EQ(done.status, 302) << done.body;
  const std::string location = done.Header("Location").value_or("");
  EXPECT_EQ(location.rfind(std::string(kApp1Redirect) + "?", 0), 0u) << location;
  EXPECT_EQ(UrlParam(location, "code").rfind("idm_ac_", 0), 0u) << location;
  EXPECT_EQ(UrlParam(location, "state"), "st-app1");
  EXPECT_EQ(UrlParam(location, "iss"), Issuer());  // RFC 9207 §2
  EXPECT_EQ(server_->Signal(SIGTERM), 0);
}

TEST_P(LoginFlow, DenyingConsentRedirectsAccessDenied) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  http::ClientResponse login = StartFlow(AuthPath("app1", kApp1Redirect));
  http::ClientResponse consent = SubmitLogin(login, "alice", kPassword);
  http::ClientResponse done = SubmitConsent(consent, "deny");
  ASSERT_EQ(done.status, 302);
  const std::string location = done.Header("Location").value_or("");
  EXPECT_EQ(UrlParam(location, "error"), "access_denied");
  EXPECT_EQ(UrlParam(location, "state"), "st-app1");
  EXPECT_TRUE(UrlParam(location, "code").empty());
}

TEST_P(LoginFlow, FormPostResponseModePostsTheCodeToTheRedirectUri) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  http::ClientResponse login =
      StartFlow(AuthPath("app2", kApp2Redirect, "&response_mode=form_post"));
  http::ClientResponse done = SubmitLogin(login, "alice", kPassword);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_FALSE(done.Header("Location").has_value());
  EXPECT_NE(done.body.find("action=\"https://app2.example/cb\""), std::string::npos) << done.body;
  EXPECT_EQ(HiddenInput(done.body, "code").rfind("idm_ac_", 0), 0u);
  EXPECT_EQ(HiddenInput(done.body, "state"), "st-app2");
  EXPECT_NE(done.Header("Content-Security-Policy").value_or("").find("https://app2.example/cb"),
            std::string::npos);
}

TEST_P(LoginFlow, SecondClientInTheSameBrowserSignsInWithoutPassword) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  ASSERT_EQ(LoginToApp1().status, 302);
  auto r = browser_->Get(AuthPath("app2", kApp2Redirect));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302) << r->body;
  const std::string location = r->Header("Location").value_or("");
  EXPECT_EQ(UrlParam(location, "code").rfind("idm_ac_", 0), 0u) << location;
  // app1 again: consent is remembered, so no page at all.
  auto again = browser_->Get(AuthPath("app1", kApp1Redirect));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 302);
}

TEST_P(LoginFlow, PromptLoginAndMaxAgeForceReauthentication) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  ASSERT_EQ(LoginToApp1().status, 302);
  auto fresh = browser_->Get(AuthPath("app2", kApp2Redirect, "&max_age=3600"));
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 302) << "a recent login satisfies max_age=3600";
  auto login = browser_->Get(AuthPath("app2", kApp2Redirect, "&prompt=login"));
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 303) << "prompt=login shows the login page";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto old = browser_->Get(AuthPath("app2", kApp2Redirect, "&max_age=1"));
  ASSERT_TRUE(old);
  ASSERT_EQ(old->status, 303) << "auth_time older than max_age";
  auto page = browser_->Get(old->Header("Location").value_or(""));
  ASSERT_TRUE(page);
  http::ClientResponse done = SubmitLogin(*page, "alice", kPassword);
  ASSERT_EQ(done.status, 302);
  EXPECT_FALSE(UrlParam(done.Header("Location").value_or(""), "code").empty());
}

TEST_P(LoginFlow, PromptNoneWithoutSessionRedirectsLoginRequired) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  auto r = browser_->Get(AuthPath("app1", kApp1Redirect, "&prompt=none"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302);
  const std::string location = r->Header("Location").value_or("");
  EXPECT_EQ(location.rfind(kApp1Redirect, 0), 0u);
  EXPECT_EQ(UrlParam(location, "error"), "login_required");  // OIDC Core §3.1.2.6
  EXPECT_EQ(UrlParam(location, "state"), "st-app1");
  EXPECT_EQ(UrlParam(location, "iss"), Issuer());
}

TEST_P(LoginFlow, PromptNoneWithSessionButNoConsentRedirectsConsentRequired) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  http::ClientResponse login = StartFlow(AuthPath("app2", kApp2Redirect));
  ASSERT_EQ(SubmitLogin(login, "alice", kPassword).status, 302);
  auto r = browser_->Get(AuthPath("app1", kApp1Redirect, "&prompt=none"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302);
  EXPECT_EQ(UrlParam(r->Header("Location").value_or(""), "error"), "consent_required");
}

TEST_P(LoginFlow, UnregisteredRedirectUriShowsAnErrorPageAndNeverRedirects) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  auto r = browser_->Get(AuthPath("app1", "https://evil.example/cb"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_FALSE(r->Header("Location").has_value());
  EXPECT_EQ(r->body.find("evil.example"), std::string::npos) << "no link to the attacker";
  EXPECT_NE(r->Header("Content-Type").value_or("").find("text/html"), std::string::npos);
  auto unknown = browser_->Get(AuthPath("nope", kApp1Redirect));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_FALSE(unknown->Header("Location").has_value());
}

TEST_P(LoginFlow, LoginFormWithoutTheFlowsCsrfTokenIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  http::ClientResponse login = StartFlow(AuthPath("app2", kApp2Redirect));
  const std::string flow_id = HiddenInput(login.body, "flow_id");
  for (const std::string& token : {std::string(), std::string("forged-token")}) {
    auto r =
        browser_->PostForm("/realms/acme/login-actions/authenticate", {{"flow_id", flow_id},
                                                                       {"csrf_token", token},
                                                                       {"username", "alice"},
                                                                       {"password", kPassword}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << "token '" << token << "'";
    EXPECT_FALSE(r->Header("Location").has_value());
  }
  // A browser without the flow's binding cookie is refused even with the right token.
  BrowserClient other(server_->base_url());
  auto foreign = other.PostForm("/realms/acme/login-actions/authenticate",
                                {{"flow_id", flow_id},
                                 {"csrf_token", HiddenInput(login.body, "csrf_token")},
                                 {"username", "alice"},
                                 {"password", kPassword}});
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_EQ(SubmitLogin(login, "alice", kPassword).status, 302) << "the real form still works";
}

TEST_P(LoginFlow, LockoutLooksLikeAnUnknownUserAndAdminUnlockLiftsIt) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  http::ClientResponse page = StartFlow(AuthPath("app2", kApp2Redirect));
  http::ClientResponse unknown = SubmitLogin(page, "mallory", "whatever");
  ASSERT_EQ(unknown.status, 200);
  EXPECT_NE(unknown.body.find(kLoginFailed), std::string::npos);
  for (int i = 0; i < 3; ++i) {
    page = SubmitLogin(page, "alice", "wrong-password");
    ASSERT_EQ(page.status, 200);
  }
  http::ClientResponse locked = SubmitLogin(page, "alice", kPassword);
  ASSERT_EQ(locked.status, 200) << "the right password is refused while locked";
  EXPECT_NE(locked.body.find(kLoginFailed), std::string::npos);
  EXPECT_EQ(locked.body.find("lock"), std::string::npos);

  auto unlock = admin_->Send("POST", "/admin/api/v1/realms/acme/users/" + alice_id_ + "/unlock",
                             {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(unlock);
  EXPECT_EQ(unlock->status, 204) << unlock->body;
  http::ClientResponse done = SubmitLogin(locked, "alice", kPassword);
  EXPECT_EQ(done.status, 302) << done.body;

  auto events = GetWithToken(*admin_, "/admin/api/v1/realms/acme/audit-events?limit=1000", token_);
  ASSERT_TRUE(events);
  for (const char* type : {"LoginFailed", "UserLockedOut", "UserUnlocked", "LoginSucceeded",
                           "AuthorizationCodeIssued"}) {
    EXPECT_NE(events->body.find(type), std::string::npos) << type;
  }
}

TEST_P(LoginFlow, CliUserUnlockLiftsALock) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  http::ClientResponse page = StartFlow(AuthPath("app2", kApp2Redirect));
  for (int i = 0; i < 3; ++i) page = SubmitLogin(page, "alice", "wrong-password");
  EXPECT_NE(SubmitLogin(page, "alice", kPassword).body.find(kLoginFailed), std::string::npos);
  RunResult unlocked = server_->Run({"user", "unlock", "--realm", "acme", "alice"});
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.output;
  EXPECT_EQ(SubmitLogin(page, "alice", kPassword).status, 302);
}

TEST_P(LoginFlow, RevokedConsentIsAskedForAgain) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  ASSERT_EQ(LoginToApp1().status, 302);
  const std::string base = "/admin/api/v1/realms/acme/users/" + alice_id_ + "/consents";
  auto listed = GetWithToken(*admin_, base, token_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  core::Json items = core::Json::parse(listed->body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["client_id"], "app1");
  auto revoked = admin_->Send("DELETE", base + "/app1", {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 204) << revoked->body;
  auto again = admin_->Send("DELETE", base + "/app1", {{"Authorization", "Bearer " + token_}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);

  auto r = browser_->Get(AuthPath("app1", kApp1Redirect));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 303) << "signed in, but consent must be asked again";
  auto page = browser_->Get(r->Header("Location").value_or(""));
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("name=\"decision\""), std::string::npos);
}

TEST_P(LoginFlow, StylesheetAndDiscoveryAdvertiseTheAuthorizationEndpoint) {
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  auto css = browser_->Get("/resources/idm.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_NE(css->Header("Content-Type").value_or("").find("text/css"), std::string::npos);
  auto doc = browser_->Get("/realms/acme/.well-known/openid-configuration");
  ASSERT_TRUE(doc);
  core::Json j = core::Json::parse(doc->body);
  EXPECT_EQ(j["authorization_endpoint"], Issuer() + "/protocol/openid-connect/auth");
  EXPECT_EQ(j["response_modes_supported"], core::Json::array({"query", "form_post"}));
  EXPECT_EQ(j["code_challenge_methods_supported"], core::Json::array({"S256"}));
  EXPECT_EQ(j["authorization_response_iss_parameter_supported"], true);
}

// Two `idm serve` nodes on one PostgreSQL, one public URL: each request of one login goes to the
// other node (ARCHITECTURE.md decision 3: all flow state is in the store).
TEST_P(LoginFlow, TwoNodesServeOneFlowAlternately) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "needs a shared PostgreSQL";
  const std::map<std::string, std::string> shared = {{"IDM_PUBLIC_URL", "http://idm.test"}};
  ASSERT_NO_FATAL_FAILURE(StartAndProvision(shared));
  auto env = env_->env();
  for (auto& [k, v] : shared) env[k] = v;
  const std::string dir2 = MakeTempDir("idm-node2");
  ServerProcess node2(dir2, env);
  ASSERT_TRUE(node2.Start()) << node2.Output();

  auto r = browser_->Get(AuthPath("app1", kApp1Redirect));  // node 1
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 303);
  browser_->SwitchTo(node2.base_url());
  auto login = browser_->Get(r->Header("Location").value_or(""));  // node 2
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200);
  browser_->SwitchTo(server_->base_url());
  http::ClientResponse consent = SubmitLogin(*login, "alice", kPassword);  // node 1
  ASSERT_EQ(consent.status, 200) << consent.body;
  browser_->SwitchTo(node2.base_url());
  http::ClientResponse done = SubmitConsent(consent, "approve");  // node 2
  ASSERT_EQ(done.status, 302) << done.body;
  const std::string location = done.Header("Location").value_or("");
  EXPECT_EQ(UrlParam(location, "code").rfind("idm_ac_", 0), 0u);
  EXPECT_EQ(UrlParam(location, "iss"), "http://idm.test/realms/acme");
  auto sso = browser_->Get(AuthPath("app2", kApp2Redirect));  // node 2 knows node 1's session
  ASSERT_TRUE(sso);
  EXPECT_EQ(sso->status, 302);
  EXPECT_EQ(node2.Signal(SIGTERM), 0);
  std::filesystem::remove_all(dir2);
}

// RP-Initiated Logout 1.0 (docs/design/016): a client registered with a post-logout redirect and
// front-/back-channel logout URIs; the back-channel receiver is a real HTTP server in the test.
class LogoutReceiver {
 public:
  LogoutReceiver() {
    http::Router router;
    router.Add("POST", "/bc", [this](const http::WebRequest& q) {
      std::lock_guard<std::mutex> lock(mu_);
      auto form = q.Form();
      auto it = form.find("logout_token");
      tokens_.push_back(it == form.end() ? "" : it->second);
      return http::WebResponse::Text(200, "");
    });
    http::ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.worker_threads = 2;
    server_ = std::make_unique<http::Server>(o, std::move(router));
    ok_ = server_->Start().ok();
  }
  ~LogoutReceiver() { (void)server_->Stop(); }
  bool ok() const { return ok_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  // Waits up to 10 s for the first logout token.
  std::string WaitForToken() {
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!tokens_.empty()) return tokens_.front();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }

 private:
  std::mutex mu_;
  std::vector<std::string> tokens_;
  std::unique_ptr<http::Server> server_;
  bool ok_ = false;
};

constexpr char kApp3Redirect[] = "https://app3.example/cb";
constexpr char kApp3Bye[] = "https://app3.example/bye";

class Logout : public LoginFlow {
 protected:
  // app3: first party, with a post-logout redirect and both logout channels.
  void ProvisionApp3(const LogoutReceiver& rp) {
    Created("/admin/api/v1/realms/acme/clients",
            {{"client_id", "app3"}, {"type", "public"}, {"redirect_uris", {kApp3Redirect}},
             {"post_logout_redirect_uris", {kApp3Bye}},
             {"frontchannel_logout_uri", "https://app3.example/fc"},
             {"backchannel_logout_uri", rp.Url("/bc")},
             {"grant_types", {"authorization_code"}}, {"token_endpoint_auth_method", "none"},
             {"scopes", {"openid", "profile"}}, {"consent_required", false}});
  }

  // Signs alice in to app3; returns the authorization code.
  std::string LoginToApp3() {
    http::ClientResponse login = StartFlow(AuthPath("app3", kApp3Redirect));
    http::ClientResponse done = SubmitLogin(login, "alice", kPassword);
    EXPECT_EQ(done.status, 302) << done.body;
    return UrlParam(done.Header("Location").value_or(""), "code");
  }

  // Redeems `code` of public client app3 (PKCE) and returns its ID token.
  std::string IdTokenFor(const std::string& code) {
    auto r = admin_->Post("/realms/acme/protocol/openid-connect/token",
                          FormEncode({{"grant_type", "authorization_code"},
                                      {"code", code},
                                      {"client_id", "app3"},
                                      {"redirect_uri", kApp3Redirect},
                                      {"code_verifier", kVerifier}}),
                          "application/x-www-form-urlencoded");
    EXPECT_TRUE(r);
    if (!r) return "";
    EXPECT_EQ(r->status, 200) << r->body;
    core::Json body = core::Json::parse(r->body, nullptr, false);
    return body.is_object() ? body.value("id_token", "") : "";
  }

  static std::string LogoutPath(const std::vector<std::pair<std::string, std::string>>& params) {
    return "/realms/acme/protocol/openid-connect/logout?" + FormEncode(params);
  }

  // A new authorization request for app2 needs the password again (303 to the login page).
  void ExpectSignedOut() {
    auto r = browser_->Get(AuthPath("app2", kApp2Redirect));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 303) << "no SSO session any more";
  }
};

TEST_P(Logout, WithoutAHintTheUserConfirmsThenIsRedirectedWithState) {
  LogoutReceiver rp;
  ASSERT_TRUE(rp.ok());
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  ProvisionApp3(rp);
  LoginToApp3();
  auto page = browser_->Get(LogoutPath(
      {{"client_id", "app3"}, {"post_logout_redirect_uri", kApp3Bye}, {"state", "bye-1"}}));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->body.find("name=\"decision\" value=\"logout\""), std::string::npos);
  EXPECT_NE(page->Header("Content-Security-Policy").value_or("").find("https://app3.example"),
            std::string::npos);
  auto done = browser_->PostForm("/realms/acme/protocol/openid-connect/logout/confirm",
                                 {{"csrf_token", HiddenInput(page->body, "csrf_token")},
                                  {"client_id", HiddenInput(page->body, "client_id")},
                                  {"post_logout_redirect_uri",
                                   HiddenInput(page->body, "post_logout_redirect_uri")},
                                  {"state", HiddenInput(page->body, "state")},
                                  {"decision", "logout"}});
  ASSERT_TRUE(done);
  // app3 has a front-channel URI: the signed-out page frames it and links onwards.
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_NE(done->body.find("src=\"https://app3.example/fc?iss&#61;"), std::string::npos) << done->body;
  EXPECT_NE(done->body.find("href=\"https://app3.example/bye?state&#61;bye-1\""), std::string::npos);
  EXPECT_NE(done->Header("Content-Security-Policy").value_or("").find("frame-src https://app3.example"),
            std::string::npos);
  EXPECT_FALSE(browser_->cookies().count("idm_session"));
  EXPECT_FALSE(rp.WaitForToken().empty()) << "back-channel logout token delivered";
  ExpectSignedOut();
}

TEST_P(Logout, AValidIdTokenHintEndsTheSessionAtOnceAndSendsASignedLogoutToken) {
  LogoutReceiver rp;
  ASSERT_TRUE(rp.ok());
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  ProvisionApp3(rp);
  std::string id_token = IdTokenFor(LoginToApp3());
  ASSERT_FALSE(id_token.empty());
  auto done = browser_->Get(LogoutPath({{"id_token_hint", id_token},
                                        {"post_logout_redirect_uri", kApp3Bye},
                                        {"state", "s2"}}));
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;  // front-channel page first
  EXPECT_NE(done->body.find("href=\"https://app3.example/bye?state&#61;s2\""), std::string::npos);
  std::string token = rp.WaitForToken();
  ASSERT_FALSE(token.empty());
  // Verify the logout token against the realm's published keys, as an RP would.
  auto jwks = admin_->Get("/realms/acme/protocol/openid-connect/certs");
  ASSERT_TRUE(jwks);
  auto keys = crypto::JwkSet::FromJson(core::Json::parse(jwks->body));
  ASSERT_TRUE(keys);
  crypto::JwtValidation v;
  v.allowed_algs = {crypto::JwsAlg::kEs256};
  v.now = std::time(nullptr);
  v.issuer = Issuer();
  v.audience = "app3";
  v.typ = "logout+jwt";
  auto jwt = crypto::JwtVerify(token, *keys, v);
  ASSERT_TRUE(jwt) << jwt.error().message;
  EXPECT_TRUE(jwt->claims["events"].contains("http://schemas.openid.net/event/backchannel-logout"));
  EXPECT_EQ(jwt->claims["sub"], alice_id_);
  EXPECT_FALSE(jwt->claims.value("sid", "").empty());
  EXPECT_FALSE(jwt->claims.contains("nonce"));
  ExpectSignedOut();
}

TEST_P(Logout, AnUnregisteredPostLogoutRedirectIsAnErrorPageNeverARedirect) {
  LogoutReceiver rp;
  ASSERT_TRUE(rp.ok());
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  ProvisionApp3(rp);
  LoginToApp3();
  for (const auto& params : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"client_id", "app3"}, {"post_logout_redirect_uri", "https://evil.example/"}},
           {{"post_logout_redirect_uri", kApp3Bye}},  // no client to check it against
           {{"id_token_hint", "not.a.jwt"}, {"post_logout_redirect_uri", kApp3Bye}},
           {{"client_id", "app3"}, {"post_logout_redirect_uri", kApp3Bye},  // repeated parameter
            {"state", "a"}, {"state", "b"}}}) {
    auto r = browser_->Get(LogoutPath(params));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_FALSE(r->Header("Location").has_value());
  }
  EXPECT_TRUE(browser_->cookies().count("idm_session")) << "still signed in";
}

TEST_P(Logout, ConfirmationNeedsTheFormsCsrfTokenAndCancelKeepsTheSession) {
  LogoutReceiver rp;
  ASSERT_TRUE(rp.ok());
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  ProvisionApp3(rp);
  LoginToApp3();
  auto page = browser_->Get(LogoutPath({{"client_id", "app3"}}));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  auto forged = browser_->PostForm("/realms/acme/protocol/openid-connect/logout/confirm",
                                   {{"csrf_token", "forged"}, {"decision", "logout"}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  auto cancel = browser_->PostForm("/realms/acme/protocol/openid-connect/logout/confirm",
                                   {{"csrf_token", HiddenInput(page->body, "csrf_token")},
                                    {"decision", "cancel"}});
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->status, 200);
  auto sso = browser_->Get(AuthPath("app2", kApp2Redirect));
  ASSERT_TRUE(sso);
  EXPECT_EQ(sso->status, 302) << "the session survived";
}

// docs/design/016: when another user signs in in a browser that holds a session, that session
// ends as a logout ends it — its refresh tokens stop working and its clients get a back-channel
// logout token naming its sid (Back-Channel Logout 1.0 §2.4).
TEST_P(Logout, AnotherUserSigningInEndsTheOldSessionLikeALogout) {
  LogoutReceiver rp;
  ASSERT_TRUE(rp.ok());
  ASSERT_NO_FATAL_FAILURE(StartAndProvision());
  Created("/admin/api/v1/realms/acme/users", {{"username", "bob"}, {"password", kPassword}});
  Created("/admin/api/v1/realms/acme/clients",
          {{"client_id", "app4"},
           {"type", "public"},
           {"redirect_uris", {kApp3Redirect}},
           {"backchannel_logout_uri", rp.Url("/bc")},
           {"grant_types", {"authorization_code", "refresh_token"}},
           {"token_endpoint_auth_method", "none"},
           {"scopes", {"openid", "profile"}},
           {"consent_required", false}});
  // Alice signs in to app4 and gets a refresh token.
  http::ClientResponse done =
      SubmitLogin(StartFlow(AuthPath("app4", kApp3Redirect)), "alice", kPassword);
  ASSERT_EQ(done.status, 302) << done.body;
  auto token = [&](const std::vector<std::pair<std::string, std::string>>& form) {
    auto r = admin_->Post("/realms/acme/protocol/openid-connect/token", FormEncode(form),
                          "application/x-www-form-urlencoded");
    EXPECT_TRUE(r);
    return r ? *r : http::ClientResponse{};
  };
  http::ClientResponse issued =
      token({{"grant_type", "authorization_code"},
             {"code", UrlParam(done.Header("Location").value_or(""), "code")},
             {"client_id", "app4"},
             {"redirect_uri", kApp3Redirect},
             {"code_verifier", kVerifier}});
  ASSERT_EQ(issued.status, 200) << issued.body;
  core::Json tokens = core::Json::parse(issued.body);
  ASSERT_TRUE(tokens.contains("refresh_token")) << issued.body;
  std::string alice_refresh = tokens["refresh_token"];
  auto id_token = crypto::JwtDecodeUnverified(tokens["id_token"].get<std::string>());
  ASSERT_TRUE(id_token);
  std::string alice_sid = id_token->claims.value("sid", "");
  ASSERT_FALSE(alice_sid.empty());

  // Bob signs in in the same browser (prompt=login shows the login page despite the session).
  http::ClientResponse bob =
      SubmitLogin(StartFlow(AuthPath("app2", kApp2Redirect, "&prompt=login")), "bob", kPassword);
  ASSERT_EQ(bob.status, 302) << bob.body;

  http::ClientResponse refreshed = token(
      {{"grant_type", "refresh_token"}, {"refresh_token", alice_refresh}, {"client_id", "app4"}});
  EXPECT_EQ(refreshed.status, 400) << refreshed.body;
  EXPECT_EQ(core::Json::parse(refreshed.body)["error"], "invalid_grant");
  std::string logout_token = rp.WaitForToken();
  ASSERT_FALSE(logout_token.empty()) << "back-channel logout token delivered";
  auto jwt = crypto::JwtDecodeUnverified(logout_token);
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt->claims["sid"], alice_sid);
  EXPECT_EQ(jwt->claims["sub"], alice_id_);
  EXPECT_EQ(jwt->claims["aud"], "app4");
}

INSTANTIATE_TEST_SUITE_P(Backends, Logout,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

INSTANTIATE_TEST_SUITE_P(Backends, LoginFlow,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
