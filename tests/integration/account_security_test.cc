// The self-service security page against the real binary (docs/design/023), on SQLite and (with
// IDM_TEST_PG_URL) PostgreSQL. Users enrol a TOTP authenticator through a client's login (realm
// mfa_policy "required"), then manage it at /realms/acme/account/security: the page needs a recent
// sign-in with the second factor and otherwise sends the browser through the login (prompt=login)
// and back; rename, remove and regenerate are POSTs with a CSRF token bound to the SSO session.
// Passkeys are added from the page with WebAuthn responses made by the software authenticator of
// tests/support (the Chromium test, tests/interop/account_security.test.mjs, uses a real browser).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "idm/crypto/encoding.h"
#include "idm/crypto/totp.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/test_support.h"
#include "tests/support/webauthn_authenticator.h"

namespace idm::testing {
namespace {

constexpr char kPage[] = "/realms/acme/account/security";
// The public URL the server runs under: the WebAuthn relying party (origin and RP ID). A loopback
// host, since the console client's redirect URI is http (RFC 8252 §7.3).
constexpr char kAccountPublicUrl[] = "http://localhost";
constexpr char kAccountRpId[] = "localhost";

// "http://127.0.0.1:PORT/x?y" -> "/x?y": the tests' browser talks to one server.
std::string PathOf(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t path = url.find('/', scheme + 3);
  return path == std::string::npos ? "/" : url.substr(path);
}

// The ten codes of an <ol class="recovery-codes"> list.
std::vector<std::string> CodesOnPage(const std::string& html) {
  std::vector<std::string> codes;
  size_t at = html.find("class=\"recovery-codes\"");
  while (at != std::string::npos) {
    at = html.find("<code>", at);
    if (at == std::string::npos) break;
    at += 6;
    codes.push_back(html.substr(at, html.find('<', at) - at));
  }
  return codes;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct Enrolled {
  std::string seed;
  std::vector<std::string> recovery_codes;
};

class AccountSecurity : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
    auto env = env_->env();
    env["IDM_PUBLIC_URL"] = kAccountPublicUrl;
    server_ = std::make_unique<ServerProcess>(env_->dir(), env);
    ASSERT_TRUE(server_->Start()) << server_->Output();
    admin_ = std::make_unique<http::Client>(server_->base_url());
    token_ = AdminToken(*admin_);
    ASSERT_FALSE(token_.empty());
    Created("/admin/api/v1/realms", {{"name", "acme"},
                                     {"settings",
                                      {{"mfa_policy", "required"},
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

  void PatchRealm(const core::Json& settings) {
    auto r = admin_->Send(
        "PATCH", "/admin/api/v1/realms/acme",
        {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/merge-patch+json"}},
        core::Json{{"settings", settings}}.dump());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }

  core::Json AdminCredentials(const std::string& username) {
    auto r = GetWithToken(
        *admin_, "/admin/api/v1/realms/acme/users/" + user_ids_[username] + "/credentials", token_);
    EXPECT_TRUE(r && r->status == 200);
    return r ? core::Json::parse(r->body, nullptr, false) : core::Json::object();
  }

  // A TOTP code of a time step after every step used so far for `username` (RFC 6238 §5.2: a
  // step is accepted once), within the ±1 step window; waits for the clock when needed.
  std::string NextCode(const std::string& username) {
    // The step before the current one is still accepted (RFC 6238 §5.2 window), but not once the
    // next step begins: within 2 s of that boundary the server may verify after it, so start at
    // the current step then.
    const int64_t now = std::time(nullptr);
    const int64_t earliest = now / 30 - (now % 30 < 28 ? 1 : 0);
    int64_t step = std::max(last_step_[username] + 1, earliest);
    while (step > std::time(nullptr) / 30 + 1) std::this_thread::sleep_for(std::chrono::seconds(1));
    last_step_[username] = step;
    return crypto::TotpCode(enrolled_[username].seed, step * 30, crypto::TotpParams{}).value_or("");
  }

  static http::ClientResponse Get(BrowserClient& browser, const std::string& target) {
    auto r = browser.Get(target);
    EXPECT_TRUE(r) << target;
    return r ? *r : http::ClientResponse{};
  }

  static http::ClientResponse PostPage(BrowserClient& browser, const std::string& action,
                                       const http::ClientResponse& page,
                                       std::vector<std::pair<std::string, std::string>> fields) {
    fields.push_back({"flow_id", HiddenInput(page.body, "flow_id")});
    fields.push_back({"csrf_token", HiddenInput(page.body, "csrf_token")});
    auto r = browser.PostForm("/realms/acme/login-actions/" + action, fields);
    EXPECT_TRUE(r);
    return r ? *r : http::ClientResponse{};
  }

  // The password step of a login flow whose first page is `login` (303 from the authorization
  // endpoint). Returns the page after the password.
  static http::ClientResponse Password(BrowserClient& browser, const http::ClientResponse& auth,
                                       const std::string& username) {
    EXPECT_EQ(auth.status, 303) << auth.body;
    http::ClientResponse login = Get(browser, auth.Header("Location").value_or(""));
    EXPECT_EQ(login.status, 200);
    EXPECT_NE(login.body.find("name=\"password\""), std::string::npos) << "the password is asked";
    return PostPage(browser, "authenticate", login,
                    {{"username", username}, {"password", kPassword}});
  }

  // Enrols `username` through app2's login; `browser` keeps the session it ends with.
  void Enrol(BrowserClient& browser, const std::string& username) {
    auto auth = Get(browser, "/realms/acme/protocol/openid-connect/auth?" +
                                 FormEncode({{"client_id", "app2"},
                                             {"response_type", "code"},
                                             {"scope", "openid"},
                                             {"redirect_uri", kRedirect},
                                             {"code_challenge", kChallenge},
                                             {"code_challenge_method", "S256"}}));
    http::ClientResponse enrol = Password(browser, auth, username);
    const std::string open = "<code class=\"secret\">";
    size_t a = enrol.body.find(open);
    ASSERT_NE(a, std::string::npos) << enrol.body;
    a += open.size();
    enrolled_[username].seed =
        crypto::Base32Decode(enrol.body.substr(a, enrol.body.find('<', a) - a)).value_or("");
    http::ClientResponse codes =
        PostPage(browser, "mfa-enroll", enrol, {{"code", NextCode(username)}});
    ASSERT_EQ(codes.status, 200) << codes.body;
    enrolled_[username].recovery_codes = CodesOnPage(codes.body);
    ASSERT_EQ(enrolled_[username].recovery_codes.size(), 10u);
    ASSERT_EQ(PostPage(browser, "recovery-codes", codes, {}).status, 302);
  }

  // From the page's 303 into the login: password, TOTP code, back through the callback to the
  // page. Returns the page.
  http::ClientResponse SignInFromPage(BrowserClient& browser, const http::ClientResponse& redirect,
                                      const std::string& username) {
    const std::string location = redirect.Header("Location").value_or("");
    EXPECT_EQ(redirect.status, 303);
    EXPECT_NE(location.find("/realms/acme/protocol/openid-connect/auth?"), std::string::npos)
        << location;
    EXPECT_EQ(UrlParam(location, "client_id"), "idm-account-console");
    EXPECT_EQ(UrlParam(location, "prompt"), "login");
    http::ClientResponse mfa = Password(browser, Get(browser, location), username);
    EXPECT_EQ(mfa.status, 200) << "the second factor is asked";
    EXPECT_NE(mfa.body.find("name=\"method\" value=\"totp\""), std::string::npos) << mfa.body;
    http::ClientResponse back =
        PostPage(browser, "mfa", mfa, {{"method", "totp"}, {"code", NextCode(username)}});
    EXPECT_EQ(back.status, 302) << back.body;
    const std::string callback = back.Header("Location").value_or("");
    EXPECT_NE(callback.find("/realms/acme/account/callback?"), std::string::npos) << callback;
    EXPECT_EQ(UrlParam(callback, "code").rfind("idm_ac_", 0), 0u);
    http::ClientResponse to_page = Get(browser, PathOf(callback));
    EXPECT_EQ(to_page.status, 303);
    EXPECT_EQ(to_page.Header("Location").value_or(""), kPage);
    return Get(browser, kPage);
  }

  http::ClientResponse Post(BrowserClient& browser, const std::string& action,
                            std::vector<std::pair<std::string, std::string>> fields) {
    auto r = browser.PostForm(std::string(kPage) + "/" + action, fields);
    EXPECT_TRUE(r);
    return r ? *r : http::ClientResponse{};
  }

  std::string CredentialId(const std::string& username) {
    core::Json listed = AdminCredentials(username);
    return listed["items"].empty() ? "" : listed["items"][0]["id"].get<std::string>();
  }

  // The names of the user's passkeys, as the admin API lists them.
  std::vector<std::string> PasskeyNames(const std::string& username) {
    std::vector<std::string> names;
    const core::Json listed = AdminCredentials(username);
    for (const core::Json& c : listed["items"]) {
      if (c["type"] == "webauthn") names.push_back(c["name"]);
    }
    return names;
  }

  // The creation options the page script fetches with the page's CSRF token; the raw challenge in
  // *challenge.
  core::Json PasskeyOptions(BrowserClient& browser, const std::string& csrf,
                            std::string* challenge) {
    http::ClientResponse r = Post(browser, "passkey/options", {{"csrf_token", csrf}});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Cache-Control").value_or(""), "no-store");
    core::Json options = core::Json::parse(r.body, nullptr, false);
    *challenge = crypto::Base64UrlDecode(options.value("challenge", "")).value_or("");
    return options;
  }

  static TestCeremony Ceremony(const std::string& challenge, uint32_t sign_count) {
    TestCeremony c;
    c.challenge = challenge;
    c.origin = kAccountPublicUrl;
    c.rp_id = kAccountRpId;
    c.sign_count = sign_count;
    return c;
  }

  // Adds `key` from the page under `name`; returns the POST's response.
  http::ClientResponse AddPasskey(BrowserClient& browser, const TestAuthenticator& key,
                                  const std::string& name) {
    const std::string csrf = HiddenInput(Get(browser, kPage).body, "csrf_token");
    std::string challenge;
    PasskeyOptions(browser, csrf, &challenge);
    return Post(browser, "passkey",
                {{"csrf_token", csrf},
                 {"name", name},
                 {"credential", key.Create(Ceremony(challenge, 1)).ToJson()}});
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> admin_;
  std::string token_;
  std::map<std::string, std::string> user_ids_;
  std::map<std::string, Enrolled> enrolled_;
  std::map<std::string, int64_t> last_step_;
};

TEST_P(AccountSecurity, WithoutASessionThePageSendsTheBrowserThroughTheLoginAndBack) {
  BrowserClient enrolment(server_->base_url());
  Enrol(enrolment, "alice");
  BrowserClient browser(server_->base_url());
  http::ClientResponse redirect = Get(browser, kPage);
  http::ClientResponse page = SignInFromPage(browser, redirect, "alice");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("data-type=\"totp\""), std::string::npos) << page.body;
  EXPECT_EQ(page.Header("Cache-Control").value_or(""), "no-store");
  EXPECT_NE(page.Header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'"),
            std::string::npos);
}

TEST_P(AccountSecurity, AStaleSessionMustGiveThePasswordAndTheSecondFactorAgain) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  PatchRealm({{"account_reauth_s", 4}});
  EXPECT_EQ(Get(browser, kPage).status, 200) << "the enrolment sign-in is recent";
  // Past account_reauth_s (4 s), but short of the server's 5 s keep-alive timeout: after 5 s the
  // server may close the test clients' idle connections just as they send on them.
  std::this_thread::sleep_for(std::chrono::milliseconds(4500));
  http::ClientResponse redirect = Get(browser, kPage);
  EXPECT_EQ(UrlParam(redirect.Header("Location").value_or(""), "login_hint"), "alice");
  http::ClientResponse page = SignInFromPage(browser, redirect, "alice");
  EXPECT_EQ(page.status, 200) << page.body;
}

TEST_P(AccountSecurity, ACallbackWithAForeignOrUnknownCodeGrantsNothing) {
  BrowserClient browser(server_->base_url());
  auto r = Get(browser, "/realms/acme/account/callback?code=idm_ac_forged");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("Location").value_or(""), kPage);
  EXPECT_EQ(Get(browser, kPage).status, 303) << "still no session: into the login";
}

TEST_P(AccountSecurity, ListsEachFactorRecoveryCodesLeftAndEmailCodes) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  PatchRealm({{"email_code_enabled", true}});
  auto patched = admin_->Send(
      "PATCH", "/admin/api/v1/realms/acme/users/" + user_ids_["alice"],
      {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/merge-patch+json"}},
      R"({"email": "alice@example.com", "email_verified": true})");
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  http::ClientResponse page = Get(browser, kPage);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(Count(page.body, "class=\"factor\""), 1u);
  EXPECT_NE(page.body.find("Authenticator app"), std::string::npos) << "label of type totp";
  EXPECT_NE(page.body.find("value=\"authenticator\""), std::string::npos) << "its name";
  EXPECT_NE(page.body.find("id=\"factor-" + CredentialId("alice") + "\""), std::string::npos);
  EXPECT_NE(page.body.find("<strong class=\"recovery-left\">10</strong>"), std::string::npos);
  EXPECT_NE(page.body.find("Codes sent by email are enabled"), std::string::npos);
  // One code used at a login: nine left.
  BrowserClient other(server_->base_url());
  auto auth = Get(other, "/realms/acme/protocol/openid-connect/auth?" +
                             FormEncode({{"client_id", "app2"},
                                         {"response_type", "code"},
                                         {"scope", "openid"},
                                         {"redirect_uri", kRedirect},
                                         {"code_challenge", kChallenge},
                                         {"code_challenge_method", "S256"}}));
  http::ClientResponse mfa = Password(other, auth, "alice");
  EXPECT_EQ(PostPage(other, "mfa", mfa,
                     {{"method", "recovery_code"}, {"code", enrolled_["alice"].recovery_codes[0]}})
                .status,
            302);
  EXPECT_NE(Get(browser, kPage).body.find("<strong class=\"recovery-left\">9</strong>"),
            std::string::npos);
}

TEST_P(AccountSecurity, RenameTrimsTheNameAndRefusesAnEmptyOrTooLongOne) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  http::ClientResponse page = Get(browser, kPage);
  const std::string csrf = HiddenInput(page.body, "csrf_token");
  const std::string id = CredentialId("alice");
  http::ClientResponse renamed = Post(
      browser, "rename", {{"csrf_token", csrf}, {"credential_id", id}, {"name", "  Work phone  "}});
  EXPECT_EQ(renamed.status, 303) << renamed.body;
  EXPECT_EQ(renamed.Header("Location").value_or(""), std::string(kPage) + "?done=renamed");
  EXPECT_NE(Get(browser, kPage).body.find("value=\"Work phone\""), std::string::npos);
  EXPECT_EQ(AdminCredentials("alice")["items"][0]["name"], "Work phone");
  struct Case {
    const char* name;
    std::string value;
  } cases[] = {{"empty", ""},
               {"blank", "   "},
               {"65 characters", std::string(65, 'x')},
               {"control character", "a\x01b"}};
  for (const Case& c : cases) {
    http::ClientResponse refused =
        Post(browser, "rename", {{"csrf_token", csrf}, {"credential_id", id}, {"name", c.value}});
    EXPECT_EQ(refused.status, 400) << c.name;
    EXPECT_NE(refused.body.find("A name must have 1 to 64 characters."), std::string::npos)
        << c.name;
  }
  const std::string korean = "업무용 휴대폰";
  EXPECT_EQ(Post(browser, "rename", {{"csrf_token", csrf}, {"credential_id", id}, {"name", korean}})
                .status,
            303);
  EXPECT_EQ(AdminCredentials("alice")["items"][0]["name"], korean);
}

TEST_P(AccountSecurity, ARemovedFactorNoLongerSignsInAndTheNextLoginEnrolsAgain) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  http::ClientResponse page = Get(browser, kPage);
  http::ClientResponse removed = Post(browser, "remove",
                                      {{"csrf_token", HiddenInput(page.body, "csrf_token")},
                                       {"credential_id", CredentialId("alice")}});
  EXPECT_EQ(removed.status, 303) << removed.body;
  http::ClientResponse after = Get(browser, kPage);
  EXPECT_EQ(Count(after.body, "class=\"factor\""), 0u);
  EXPECT_NE(after.body.find("the next time you sign in, you will be asked to set one up"),
            std::string::npos)
      << "policy required and no factor left";
  EXPECT_TRUE(AdminCredentials("alice")["items"].empty());
  // The next login does not ask for the removed authenticator: it enrols a new one.
  BrowserClient next(server_->base_url());
  auto auth = Get(next, "/realms/acme/protocol/openid-connect/auth?" +
                            FormEncode({{"client_id", "app2"},
                                        {"response_type", "code"},
                                        {"scope", "openid"},
                                        {"redirect_uri", kRedirect},
                                        {"code_challenge", kChallenge},
                                        {"code_challenge_method", "S256"}}));
  http::ClientResponse enrol = Password(next, auth, "alice");
  EXPECT_NE(enrol.body.find("class=\"secret\""), std::string::npos) << enrol.body;
  http::ClientResponse old =
      PostPage(next, "mfa", enrol, {{"method", "totp"}, {"code", NextCode("alice")}});
  EXPECT_NE(old.status, 302) << "the removed authenticator's code signs nobody in";
}

TEST_P(AccountSecurity, RegeneratedRecoveryCodesReplaceTheOldOnesAndWorkOnce) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  http::ClientResponse page = Get(browser, kPage);
  http::ClientResponse shown =
      Post(browser, "recovery-codes", {{"csrf_token", HiddenInput(page.body, "csrf_token")}});
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.Header("Cache-Control").value_or(""), "no-store");
  const std::vector<std::string> fresh = CodesOnPage(shown.body);
  ASSERT_EQ(fresh.size(), 10u);
  const std::string reloaded = Get(browser, kPage).body;
  EXPECT_EQ(reloaded.find(fresh[0]), std::string::npos) << "shown once";
  EXPECT_NE(reloaded.find("<strong class=\"recovery-left\">10</strong>"), std::string::npos);
  auto mfa_page = [&](BrowserClient& b) {
    auto auth = Get(b, "/realms/acme/protocol/openid-connect/auth?" +
                           FormEncode({{"client_id", "app2"},
                                       {"response_type", "code"},
                                       {"scope", "openid"},
                                       {"redirect_uri", kRedirect},
                                       {"code_challenge", kChallenge},
                                       {"code_challenge_method", "S256"}}));
    return Password(b, auth, "alice");
  };
  BrowserClient first(server_->base_url());
  http::ClientResponse mfa = mfa_page(first);
  http::ClientResponse old =
      PostPage(first, "mfa", mfa,
               {{"method", "recovery_code"}, {"code", enrolled_["alice"].recovery_codes[0]}});
  EXPECT_EQ(old.status, 200);
  EXPECT_NE(old.body.find(kInvalidCode), std::string::npos) << "an earlier code no longer works";
  EXPECT_EQ(PostPage(first, "mfa", old, {{"method", "recovery_code"}, {"code", fresh[0]}}).status,
            302);
  BrowserClient second(server_->base_url());
  http::ClientResponse again =
      PostPage(second, "mfa", mfa_page(second), {{"method", "recovery_code"}, {"code", fresh[0]}});
  EXPECT_NE(again.body.find(kInvalidCode), std::string::npos) << "a new code works once";
}

TEST_P(AccountSecurity, FormsWithoutOrWithAWrongCsrfTokenChangeNothing) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  const std::string id = CredentialId("alice");
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> token;
  } cases[] = {{"missing", {}}, {"wrong", {{"csrf_token", "AAAA"}}}};
  for (const Case& c : cases) {
    auto fields = c.token;
    fields.push_back({"credential_id", id});
    http::ClientResponse refused = Post(browser, "remove", fields);
    EXPECT_EQ(refused.status, 403) << c.name;
    EXPECT_NE(refused.body.find("Form expired"), std::string::npos) << c.name;
    fields.push_back({"name", "changed"});
    EXPECT_EQ(Post(browser, "rename", fields).status, 403) << c.name;
    EXPECT_EQ(Post(browser, "recovery-codes", c.token).status, 403) << c.name;
  }
  // A token of another session (bob's) is refused too.
  BrowserClient bob(server_->base_url());
  Enrol(bob, "bob");
  const std::string bobs_token = HiddenInput(Get(bob, kPage).body, "csrf_token");
  EXPECT_EQ(Post(browser, "remove", {{"csrf_token", bobs_token}, {"credential_id", id}}).status,
            403);
  core::Json listed = AdminCredentials("alice");
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["name"], "authenticator");
}

TEST_P(AccountSecurity, AnotherUsersCredentialIsNotFoundAndStaysUnchanged) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  BrowserClient bob(server_->base_url());
  Enrol(bob, "bob");
  const std::string bobs = CredentialId("bob");
  const std::string csrf = HiddenInput(Get(browser, kPage).body, "csrf_token");
  http::ClientResponse rename =
      Post(browser, "rename", {{"csrf_token", csrf}, {"credential_id", bobs}, {"name", "mine"}});
  EXPECT_EQ(rename.status, 404);
  EXPECT_NE(rename.body.find("Page not found"), std::string::npos);
  EXPECT_EQ(Post(browser, "remove", {{"csrf_token", csrf}, {"credential_id", bobs}}).status, 404);
  EXPECT_EQ(Post(browser, "remove", {{"csrf_token", csrf}, {"credential_id", "no-such-id"}}).status,
            404);
  core::Json listed = AdminCredentials("bob");
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["name"], "authenticator");
}

TEST_P(AccountSecurity, EveryChangeIsAnAuditEventOfTheUser) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  const std::string csrf = HiddenInput(Get(browser, kPage).body, "csrf_token");
  const std::string id = CredentialId("alice");
  EXPECT_EQ(
      Post(browser, "rename", {{"csrf_token", csrf}, {"credential_id", id}, {"name", "x"}}).status,
      303);
  EXPECT_EQ(Post(browser, "recovery-codes", {{"csrf_token", csrf}}).status, 200);
  EXPECT_EQ(Post(browser, "remove", {{"csrf_token", csrf}, {"credential_id", id}}).status, 303);
  auto events = GetWithToken(*admin_, "/admin/api/v1/realms/acme/audit-events?limit=1000", token_);
  ASSERT_TRUE(events);
  core::Json items = core::Json::parse(events->body)["items"];
  const std::string actor = "user:" + user_ids_["alice"];
  for (const char* type :
       {"MfaCredentialRenamed", "RecoveryCodesGenerated", "MfaCredentialRemoved"}) {
    int found = 0;
    for (const core::Json& e : items) {
      if (e["type"] == type && e["actor"] == actor) ++found;
    }
    // Enrolment generated the first recovery codes: two RecoveryCodesGenerated by then.
    EXPECT_EQ(found, std::string(type) == "RecoveryCodesGenerated" ? 2 : 1) << type;
  }
}

TEST_P(AccountSecurity, AnAuthenticatorAppAddedFromThePageIsConfirmedByItsFirstCodeAndSignsIn) {
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  http::ClientResponse page = Get(browser, kPage);
  EXPECT_NE(page.body.find("href=\"/realms/acme/account/security/totp\""), std::string::npos);
  http::ClientResponse enrol = Get(browser, std::string(kPage) + "/totp");
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  EXPECT_NE(enrol.body.find("<svg"), std::string::npos) << "the QR code";
  const std::string open = "<code class=\"secret\">";
  const size_t a = enrol.body.find(open) + open.size();
  const std::string key = enrol.body.substr(a, enrol.body.find('<', a) - a);
  enrolled_["second"].seed = crypto::Base32Decode(key).value_or("");
  ASSERT_EQ(enrolled_["second"].seed.size(), 20u);
  EXPECT_NE(Get(browser, std::string(kPage) + "/totp").body.find(open + key + "<"),
            std::string::npos)
      << "a reload shows the same key";
  const std::string csrf = HiddenInput(enrol.body, "csrf_token");
  http::ClientResponse wrong = Post(browser, "totp", {{"csrf_token", csrf}, {"code", "000000"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find(kInvalidCode), std::string::npos);
  EXPECT_EQ(Post(browser, "totp", {{"code", NextCode("second")}}).status, 403) << "no CSRF token";
  http::ClientResponse added =
      Post(browser, "totp", {{"csrf_token", csrf}, {"code", NextCode("second")}});
  EXPECT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.Header("Location").value_or(""), std::string(kPage) + "?done=added");
  EXPECT_EQ(Count(Get(browser, kPage).body, "class=\"factor\""), 2u);
  // The new authenticator's codes now sign in.
  BrowserClient next(server_->base_url());
  auto auth = Get(next, "/realms/acme/protocol/openid-connect/auth?" +
                            FormEncode({{"client_id", "app2"},
                                        {"response_type", "code"},
                                        {"scope", "openid"},
                                        {"redirect_uri", kRedirect},
                                        {"code_challenge", kChallenge},
                                        {"code_challenge_method", "S256"}}));
  http::ClientResponse mfa = Password(next, auth, "alice");
  EXPECT_EQ(PostPage(next, "mfa", mfa, {{"method", "totp"}, {"code", NextCode("second")}}).status,
            302);
}

TEST_P(AccountSecurity, ASecondPasskeyIsAddedByNameExcludesTheFirstAndSignsIn) {
  TestAuthenticator first(-7);
  TestAuthenticator second(-8);
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  http::ClientResponse page = Get(browser, kPage);
  ASSERT_NE(page.body.find("data-webauthn=\"create\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("/resources/webauthn.js"), std::string::npos);
  const std::string csp = page.Header("Content-Security-Policy").value_or("");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;

  http::ClientResponse added = AddPasskey(browser, first, "  laptop  ");
  EXPECT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.Header("Location").value_or(""), std::string(kPage) + "?done=passkey");
  EXPECT_NE(Get(browser, std::string(kPage) + "?done=passkey").body.find("The passkey was added."),
            std::string::npos);

  // §5.4 excludeCredentials: the user's existing passkey; the handle of the first one is reused.
  const std::string csrf = HiddenInput(Get(browser, kPage).body, "csrf_token");
  std::string challenge;
  core::Json options = PasskeyOptions(browser, csrf, &challenge);
  ASSERT_EQ(options["excludeCredentials"].size(), 1u) << options.dump();
  EXPECT_EQ(options["excludeCredentials"][0]["id"], crypto::Base64UrlEncode(first.credential_id()));
  EXPECT_EQ(options["rp"]["id"], kAccountRpId);
  EXPECT_EQ(options["user"]["name"], "alice");
  EXPECT_EQ(options["authenticatorSelection"]["residentKey"], "preferred");
  const std::string handle = crypto::Base64UrlDecode(options["user"].value("id", "")).value_or("");
  http::ClientResponse added_second =
      Post(browser, "passkey",
           {{"csrf_token", csrf},
            {"name", "security key"},
            {"credential", second.Create(Ceremony(challenge, 1)).ToJson()}});
  EXPECT_EQ(added_second.status, 303) << added_second.body;
  EXPECT_EQ(PasskeyNames("alice"), (std::vector<std::string>{"laptop", "security key"}));
  http::ClientResponse listed = Get(browser, kPage);
  EXPECT_EQ(Count(listed.body, "data-type=\"webauthn\""), 2u) << listed.body;
  EXPECT_NE(listed.body.find("value=\"security key\""), std::string::npos);

  // The new passkey is a second factor at the next login.
  BrowserClient next(server_->base_url());
  auto auth = Get(next, "/realms/acme/protocol/openid-connect/auth?" +
                            FormEncode({{"client_id", "app2"},
                                        {"response_type", "code"},
                                        {"scope", "openid"},
                                        {"redirect_uri", kRedirect},
                                        {"code_challenge", kChallenge},
                                        {"code_challenge_method", "S256"}}));
  http::ClientResponse mfa = Password(next, auth, "alice");
  ASSERT_NE(mfa.body.find("data-webauthn=\"get\""), std::string::npos) << mfa.body;
  http::ClientResponse login_options = PostPage(next, "webauthn-options", mfa, {});
  ASSERT_EQ(login_options.status, 200) << login_options.body;
  core::Json request = core::Json::parse(login_options.body, nullptr, false);
  EXPECT_EQ(request["allowCredentials"].size(), 2u) << request.dump();
  TestCeremony get = Ceremony(crypto::Base64UrlDecode(request.value("challenge", "")).value_or(""),
                              /*sign_count=*/2);
  get.user_handle = handle;
  http::ClientResponse signed_in =
      PostPage(next, "mfa", mfa, {{"method", "webauthn"}, {"code", second.Get(get).ToJson()}});
  EXPECT_EQ(signed_in.status, 302) << signed_in.body;
  EXPECT_TRUE(next.cookies().count("idm_session"));
}

TEST_P(AccountSecurity, AddingAPasskeyIsAnAuditEventOfTheUserAndKeepsAKoreanNameWhole) {
  TestAuthenticator key(-7);
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  // 30 code points, 90 bytes of UTF-8: stored whole.
  std::string korean;
  for (int i = 0; i < 10; ++i) korean += "휴대폰";
  ASSERT_EQ(AddPasskey(browser, key, korean).status, 303);
  EXPECT_EQ(PasskeyNames("alice"), std::vector<std::string>{korean});
  auto events = GetWithToken(*admin_, "/admin/api/v1/realms/acme/audit-events?limit=1000", token_);
  ASSERT_TRUE(events);
  int found = 0;
  const core::Json listed = core::Json::parse(events->body);
  for (const core::Json& e : listed["items"]) {
    if (e["type"] == "MfaEnrolled" && e["actor"] == "user:" + user_ids_["alice"] &&
        e.dump().find("\"webauthn\"") != std::string::npos) {
      ++found;
    }
  }
  EXPECT_EQ(found, 1);
}

TEST_P(AccountSecurity, AReplayedOrForeignPasskeyChallengeIsRefusedAndNothingIsStored) {
  TestAuthenticator key(-7);
  TestAuthenticator other(-7);
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  const std::string csrf = HiddenInput(Get(browser, kPage).body, "csrf_token");
  std::string challenge;
  PasskeyOptions(browser, csrf, &challenge);
  const std::string credential = key.Create(Ceremony(challenge, 1)).ToJson();
  ASSERT_EQ(
      Post(browser, "passkey", {{"csrf_token", csrf}, {"name", "a"}, {"credential", credential}})
          .status,
      303);
  // The same response again: its challenge was taken (W3C WebAuthn L2 §13.4.3, single use).
  http::ClientResponse replayed =
      Post(browser, "passkey", {{"csrf_token", csrf}, {"name", "b"}, {"credential", credential}});
  EXPECT_EQ(replayed.status, 400);
  EXPECT_NE(replayed.body.find("Passkey not added"), std::string::npos) << replayed.body;
  // A fresh response to a challenge the page never issued to this session: one of bob's session.
  BrowserClient bob(server_->base_url());
  Enrol(bob, "bob");
  std::string bobs_challenge;
  PasskeyOptions(bob, HiddenInput(Get(bob, kPage).body, "csrf_token"), &bobs_challenge);
  http::ClientResponse foreign =
      Post(browser, "passkey",
           {{"csrf_token", csrf},
            {"name", "c"},
            {"credential", other.Create(Ceremony(bobs_challenge, 1)).ToJson()}});
  EXPECT_EQ(foreign.status, 400) << foreign.body;
  // A response with a wrong origin (§7.1 step 9) is refused as well, and its challenge used up.
  PasskeyOptions(browser, csrf, &challenge);
  TestCeremony phished = Ceremony(challenge, 1);
  phished.origin = "https://evil.example";
  EXPECT_EQ(
      Post(browser, "passkey",
           {{"csrf_token", csrf}, {"name", "d"}, {"credential", other.Create(phished).ToJson()}})
          .status,
      400);
  EXPECT_EQ(Post(browser, "passkey",
                 {{"csrf_token", csrf},
                  {"name", "e"},
                  {"credential", other.Create(Ceremony(challenge, 1)).ToJson()}})
                .status,
            400);
  EXPECT_EQ(PasskeyNames("alice"), std::vector<std::string>{"a"});
  EXPECT_TRUE(PasskeyNames("bob").empty());
}

TEST_P(AccountSecurity, AddingAPasskeyWithoutOrWithAWrongCsrfTokenOrABadNameChangesNothing) {
  TestAuthenticator key(-7);
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  const std::string csrf = HiddenInput(Get(browser, kPage).body, "csrf_token");
  EXPECT_EQ(Post(browser, "passkey/options", {}).status, 403);
  EXPECT_EQ(Post(browser, "passkey/options", {{"csrf_token", "AAAA"}}).status, 403);
  std::string challenge;
  PasskeyOptions(browser, csrf, &challenge);
  const std::string credential = key.Create(Ceremony(challenge, 1)).ToJson();
  http::ClientResponse missing =
      Post(browser, "passkey", {{"name", "a"}, {"credential", credential}});
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("Form expired"), std::string::npos);
  http::ClientResponse bad_name =
      Post(browser, "passkey", {{"csrf_token", csrf}, {"name", "  "}, {"credential", credential}});
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_NE(bad_name.body.find("A name must have 1 to 64 characters."), std::string::npos);
  EXPECT_TRUE(PasskeyNames("alice").empty());
  // Neither refusal used the challenge up: the same response is still accepted.
  EXPECT_EQ(
      Post(browser, "passkey", {{"csrf_token", csrf}, {"name", "a"}, {"credential", credential}})
          .status,
      303);
  EXPECT_EQ(PasskeyNames("alice"), std::vector<std::string>{"a"});
}

TEST_P(AccountSecurity, AStaleSessionIsSentToSignInAgainBeforeAddingAPasskey) {
  TestAuthenticator key(-7);
  BrowserClient browser(server_->base_url());
  Enrol(browser, "alice");
  const std::string csrf = HiddenInput(Get(browser, kPage).body, "csrf_token");
  std::string challenge;
  PasskeyOptions(browser, csrf, &challenge);
  PatchRealm({{"account_reauth_s", 4}});
  // Past account_reauth_s (4 s), but short of the server's 5 s keep-alive timeout: after 5 s the
  // server may close the test clients' idle connections just as they send on them.
  std::this_thread::sleep_for(std::chrono::milliseconds(4500));
  for (const char* action : {"passkey/options", "passkey"}) {
    http::ClientResponse redirect =
        Post(browser, action,
             {{"csrf_token", csrf},
              {"name", "late"},
              {"credential", key.Create(Ceremony(challenge, 1)).ToJson()}});
    EXPECT_EQ(redirect.status, 303) << action;
    const std::string location = redirect.Header("Location").value_or("");
    EXPECT_EQ(UrlParam(location, "prompt"), "login") << action;
    EXPECT_EQ(UrlParam(location, "client_id"), "idm-account-console") << action;
  }
  EXPECT_TRUE(PasskeyNames("alice").empty());
}

TEST_P(AccountSecurity, AnUnknownRealmIsNotFound) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = Get(browser, "/realms/nope/account/security");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("Page not found"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountSecurity,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
