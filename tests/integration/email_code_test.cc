// Email one-time codes and per-realm SMTP against the real binary and a real SMTP server
// (tests/integration/smtp_server.py, Debian's python3-aiosmtpd) that requires STARTTLS with a
// certificate made in the test and AUTH; on SQLite and (with IDM_TEST_PG_URL) PostgreSQL.
// docs/design/019. The messages are read back as the SMTP server received them and decoded by
// Python's email package, independently of idm's own message builder.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "idm/http/client.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/server_process.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kSmtpUser[] = "idm";
constexpr char kSmtpPassword[] = "smtp-s3cret";

// The SMTP server as a child process in its own folder.
class SmtpServer {
 public:
  SmtpServer(const std::string& dir, std::vector<std::string> flags) : dir_(dir) {
    fs::create_directories(dir_);
    std::vector<std::string> args = {"/usr/bin/python3",
                                     std::string(IDM_TESTS_DIR) + "/integration/smtp_server.py",
                                     dir_};
    args.insert(args.end(), flags.begin(), flags.end());
    // Built before fork: the child of a threaded process must not allocate (ServerProcess::Spawn).
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      execv(argv[0], argv.data());
      _exit(127);
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      const std::string text = ReadFile(dir_ + "/port");
      if (!text.empty()) port_ = std::stoi(text);
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~SmtpServer() { Stop(); }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  int port() const { return port_; }

  // Every message received so far, oldest first.
  std::vector<core::Json> Messages() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().extension() == ".json") names.push_back(e.path().string());
    }
    std::sort(names.begin(), names.end());
    std::vector<core::Json> out;
    for (const std::string& n : names) out.push_back(core::Json::parse(ReadFile(n)));
    return out;
  }
  // Waits up to 10 s for at least `n` messages.
  std::vector<core::Json> WaitFor(size_t n) const {
    for (int i = 0; i < 200; ++i) {
      auto m = Messages();
      if (m.size() >= n) return m;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Messages();
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string CodeIn(const std::string& text) {
  std::smatch m;
  return std::regex_search(text, m, std::regex("\\b[0-9]{6}\\b")) ? m.str() : "";
}

class EmailCodeLogin : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
    tls_ = env_->dir() + "/tls";
    fs::create_directories(tls_);
    // A certificate for 127.0.0.1 made here; idm trusts it through IDM_MAIL_CA_FILE.
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
        tls_ + "/key.pem -out " + tls_ + "/cert.pem -days 2 -subj /CN=localhost -addext " +
        "subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    smtp_ = std::make_unique<SmtpServer>(
        env_->dir() + "/mail", std::vector<std::string>{"--cert", tls_ + "/cert.pem", "--key",
                                                        tls_ + "/key.pem", "--starttls", "--auth",
                                                        std::string(kSmtpUser) + ":" +
                                                            kSmtpPassword});
    ASSERT_NE(smtp_->port(), 0) << "the SMTP server did not start";
    auto env = env_->env();
    env["IDM_MAIL_CA_FILE"] = tls_ + "/cert.pem";
    server_ = std::make_unique<ServerProcess>(env_->dir(), env);
    ASSERT_TRUE(server_->Start()) << server_->Output();
    admin_ = std::make_unique<http::Client>(server_->base_url());
    token_ = AdminToken(*admin_);
    ASSERT_FALSE(token_.empty());
    Created("/admin/api/v1/realms",
            {{"name", "acme"},
             {"display_name", "Acme Corp"},
             {"settings",
              {{"email_code_enabled", true},
               {"passwordless_email", true},
               {"brute_force_max_failures", 20},
               {"brute_force_max_delay_ms", 0}}}});
    for (const char* name : {"alice", "bob"}) {
      Created("/admin/api/v1/realms/acme/users",
              {{"username", name},
               {"password", kPassword},
               {"email", std::string(name) + "@example.com"},
               {"email_verified", true}});
    }
    Created("/admin/api/v1/realms/acme/clients", {{"client_id", "app2"},
                                                  {"type", "public"},
                                                  {"redirect_uris", {kRedirect}},
                                                  {"grant_types", {"authorization_code"}},
                                                  {"token_endpoint_auth_method", "none"},
                                                  {"scopes", {"openid", "profile"}},
                                                  {"consent_required", false}});
    auto put = PutSmtp(smtp_->port(), "starttls", kSmtpPassword);
    ASSERT_EQ(put.status, 200) << put.body;
  }

  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->Signal(SIGTERM), 0);
    }
    if (smtp_) smtp_->Stop();
  }

  http::Headers Bearer() const { return {{"Authorization", "Bearer " + token_}}; }

  core::Json Created(const std::string& path, const core::Json& body) {
    auto r = PostJson(*admin_, path, body, token_);
    EXPECT_TRUE(r) << path;
    if (!r) return core::Json::object();
    EXPECT_EQ(r->status, 201) << path << ": " << r->body;
    return core::Json::parse(r->body, nullptr, false);
  }

  http::ClientResponse Admin(const std::string& method, const std::string& path,
                             const core::Json& body, const std::string& type = "application/json") {
    auto r = admin_->Send(method, path, Bearer(), body.is_null() ? "" : body.dump(),
                          body.is_null() ? "" : type);
    EXPECT_TRUE(r) << method << " " << path;
    return r ? *r : http::ClientResponse{};
  }

  http::ClientResponse PutSmtp(int port, const std::string& security,
                               const std::string& password) {
    return Admin("PUT", "/admin/api/v1/realms/acme/smtp",
                 {{"host", "127.0.0.1"},
                  {"port", port},
                  {"security", security},
                  {"username", kSmtpUser},
                  {"password", password},
                  {"from_address", "no-reply@acme.example"},
                  {"from_name", "에이크미"}});
  }

  void Settings(const core::Json& settings) {
    auto r = Admin("PATCH", "/admin/api/v1/realms/acme", {{"settings", settings}},
                   "application/merge-patch+json");
    EXPECT_EQ(r.status, 200) << r.body;
  }

  // A fresh browser at the login page (ui_locales as given).
  http::ClientResponse LoginPage(BrowserClient& browser, const std::string& ui_locales = "") {
    std::vector<std::pair<std::string, std::string>> q = {{"client_id", "app2"},
                                                          {"response_type", "code"},
                                                          {"scope", "openid"},
                                                          {"redirect_uri", kRedirect},
                                                          {"state", "st"},
                                                          {"code_challenge", kChallenge},
                                                          {"code_challenge_method", "S256"}};
    if (!ui_locales.empty()) q.push_back({"ui_locales", ui_locales});
    auto r = browser.Get("/realms/acme/protocol/openid-connect/auth?" + FormEncode(q));
    EXPECT_TRUE(r && r->status == 303);
    auto page = browser.Get(r ? r->Header("Location").value_or("") : "");
    EXPECT_TRUE(page && page->status == 200);
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

  // Password step, then "Email me a code": the page with the code field.
  http::ClientResponse MailedCodePage(BrowserClient& browser, const std::string& user = "alice",
                                      const std::string& ui_locales = "") {
    http::ClientResponse login = LoginPage(browser, ui_locales);
    http::ClientResponse mfa =
        Post(browser, "authenticate", login, {{"username", user}, {"password", kPassword}});
    EXPECT_EQ(mfa.status, 200);
    EXPECT_NE(mfa.body.find("name=\"action\" value=\"send\""), std::string::npos) << mfa.body;
    return Post(browser, "mfa", mfa, {{"method", "email"}, {"action", "send"}});
  }

  static bool SignedIn(const http::ClientResponse& r) {
    return r.status == 302 &&
           UrlParam(r.Header("Location").value_or(""), "code").rfind("idm_ac_", 0) == 0;
  }

  std::unique_ptr<TestEnvironment> env_;
  std::string tls_;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> admin_;
  std::string token_;
};

TEST_P(EmailCodeLogin, SmtpSettingsNeverReturnThePasswordAndTestSendUsesStartTlsAndAuth) {
  http::ClientResponse got = Admin("GET", "/admin/api/v1/realms/acme/smtp", nullptr);
  ASSERT_EQ(got.status, 200);
  core::Json view = core::Json::parse(got.body);
  EXPECT_FALSE(view.contains("password"));
  EXPECT_EQ(view["has_password"], true);
  EXPECT_EQ(got.body.find(kSmtpPassword), std::string::npos);
  http::ClientResponse sent =
      Admin("POST", "/admin/api/v1/realms/acme/smtp/test", {{"to", "ops@example.com"}});
  EXPECT_EQ(sent.status, 204) << sent.body;
  auto mails = smtp_->WaitFor(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["tls"], true) << "STARTTLS was used";
  EXPECT_EQ(mails[0]["auth_user"], kSmtpUser);
  EXPECT_EQ(mails[0]["rcpt_tos"], core::Json::array({"ops@example.com"}));
  EXPECT_EQ(mails[0]["from"], "에이크미 <no-reply@acme.example>");
}

TEST_P(EmailCodeLogin, TestSendWithAWrongPasswordIsAProblemNamingAuth) {
  ASSERT_EQ(PutSmtp(smtp_->port(), "starttls", "wrong").status, 200);
  http::ClientResponse sent =
      Admin("POST", "/admin/api/v1/realms/acme/smtp/test", {{"to", "ops@example.com"}});
  EXPECT_EQ(sent.status, 502);
  EXPECT_EQ(sent.Header("Content-Type").value_or(""), "application/problem+json");
  core::Json problem = core::Json::parse(sent.body);
  EXPECT_EQ(problem["smtp_error"], "auth") << sent.body;
  EXPECT_TRUE(smtp_->Messages().empty());
}

TEST_P(EmailCodeLogin, TestSendToARefusedRecipientNamesIt) {
  http::ClientResponse sent =
      Admin("POST", "/admin/api/v1/realms/acme/smtp/test", {{"to", "reject-me@example.com"}});
  EXPECT_EQ(sent.status, 502);
  EXPECT_EQ(core::Json::parse(sent.body)["smtp_error"], "rejected_recipient") << sent.body;
}

TEST_P(EmailCodeLogin, ImplicitTlsServerIsReachedWithSecurityTls) {
  SmtpServer tls(env_->dir() + "/mail-tls",
                 {"--cert", tls_ + "/cert.pem", "--key", tls_ + "/key.pem", "--implicit-tls"});
  ASSERT_NE(tls.port(), 0);
  ASSERT_EQ(PutSmtp(tls.port(), "tls", "").status, 200);
  http::ClientResponse sent =
      Admin("POST", "/admin/api/v1/realms/acme/smtp/test", {{"to", "ops@example.com"}});
  EXPECT_EQ(sent.status, 204) << sent.body;
  auto mails = tls.WaitFor(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["tls"], true);
}

TEST_P(EmailCodeLogin, StartTlsIsRequiredNeverSkipped) {
  SmtpServer plain(env_->dir() + "/mail-plain", {});
  ASSERT_NE(plain.port(), 0);
  ASSERT_EQ(PutSmtp(plain.port(), "starttls", "").status, 200);
  http::ClientResponse sent =
      Admin("POST", "/admin/api/v1/realms/acme/smtp/test", {{"to", "ops@example.com"}});
  EXPECT_EQ(sent.status, 502);
  EXPECT_EQ(core::Json::parse(sent.body)["smtp_error"], "tls") << sent.body;
  EXPECT_TRUE(plain.Messages().empty()) << "a message went out without TLS";
}

TEST_P(EmailCodeLogin, SecondFactorCodeIsAcceptedOnceAndAReplayIsRefused) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = MailedCodePage(browser);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("a***@example.com"), std::string::npos) << page.body;
  auto mails = smtp_->WaitFor(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["to"], "alice@example.com");
  const std::string code = CodeIn(mails[0]["body"].get<std::string>());
  ASSERT_EQ(code.size(), 6u);
  EXPECT_TRUE(SignedIn(Post(browser, "mfa", page, {{"method", "email"}, {"code", code}})));

  BrowserClient again(server_->base_url());
  http::ClientResponse login = LoginPage(again);
  http::ClientResponse mfa =
      Post(again, "authenticate", login, {{"username", "alice"}, {"password", kPassword}});
  http::ClientResponse replay = Post(again, "mfa", mfa, {{"method", "email"}, {"code", code}});
  EXPECT_EQ(replay.status, 200);
  EXPECT_NE(replay.body.find(kInvalidCode), std::string::npos);
}

TEST_P(EmailCodeLogin, KoreanMailSubjectDecodesAndCarriesTheCode) {
  BrowserClient browser(server_->base_url());
  MailedCodePage(browser, "alice", "ko");
  auto mails = smtp_->WaitFor(1);
  ASSERT_EQ(mails.size(), 1u);
  const std::string subject = mails[0]["subject"];
  const std::string code = CodeIn(mails[0]["body"].get<std::string>());
  EXPECT_EQ(subject, "Acme Corp 로그인 인증 코드: " + code);
  EXPECT_NE(mails[0]["raw"].get<std::string>().find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mails[0]["body"].get<std::string>().find("분 동안 유효하며"), std::string::npos);
}

TEST_P(EmailCodeLogin, AnotherUsersCodeIsRefused) {
  BrowserClient bobs(server_->base_url());
  MailedCodePage(bobs, "bob");
  auto mails = smtp_->WaitFor(1);
  ASSERT_EQ(mails.size(), 1u);
  const std::string bobs_code = CodeIn(mails[0]["body"].get<std::string>());
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = MailedCodePage(browser);
  const std::string alices = CodeIn(smtp_->WaitFor(2).back()["body"].get<std::string>());
  if (alices == bobs_code) GTEST_SKIP() << "both drew the same code";
  http::ClientResponse r = Post(browser, "mfa", page, {{"method", "email"}, {"code", bobs_code}});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(kInvalidCode), std::string::npos);
}

TEST_P(EmailCodeLogin, FiveWrongCodesKillTheCode) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = MailedCodePage(browser);
  const std::string code = CodeIn(smtp_->WaitFor(1).at(0)["body"].get<std::string>());
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    http::ClientResponse r = Post(browser, "mfa", page, {{"method", "email"}, {"code", wrong}});
    EXPECT_NE(r.body.find(kInvalidCode), std::string::npos);
  }
  http::ClientResponse late = Post(browser, "mfa", page, {{"method", "email"}, {"code", code}});
  EXPECT_EQ(late.status, 200) << "the right code after five wrong ones";
  EXPECT_NE(late.body.find(kInvalidCode), std::string::npos);
}

TEST_P(EmailCodeLogin, MethodDisabledInTheRealmRefusesTheCode) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = MailedCodePage(browser);
  const std::string code = CodeIn(smtp_->WaitFor(1).at(0)["body"].get<std::string>());
  Settings({{"email_code_enabled", false}});
  http::ClientResponse r = Post(browser, "mfa", page, {{"method", "email"}, {"code", code}});
  EXPECT_FALSE(SignedIn(r));
  EXPECT_NE(r.body.find(kInvalidCode), std::string::npos);
}

TEST_P(EmailCodeLogin, SmtpDownShowsAnErrorOnThePageAndLogsIt) {
  smtp_->Stop();
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = MailedCodePage(browser);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("The email could not be sent."), std::string::npos) << page.body;
  EXPECT_NE(server_->Output().find("EmailCodeSendFailed"), std::string::npos);
  auto audit = Admin("GET", "/admin/api/v1/realms/acme/audit-events?limit=1000", nullptr);
  EXPECT_NE(audit.body.find("EmailCodeSendFailed"), std::string::npos) << audit.body;
}

TEST_P(EmailCodeLogin, PasswordlessSignInWorksEndToEnd) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse login = LoginPage(browser);
  EXPECT_NE(login.body.find("Email me a sign-in code"), std::string::npos);
  http::ClientResponse page =
      Post(browser, "email-signin", login, {{"action", "send"}, {"username", "alice"}});
  EXPECT_EQ(page.status, 200);
  auto mails = smtp_->WaitFor(1);
  ASSERT_EQ(mails.size(), 1u);
  const std::string code = CodeIn(mails[0]["body"].get<std::string>());
  EXPECT_TRUE(SignedIn(Post(browser, "email-signin", page, {{"code", code}})));
}

TEST_P(EmailCodeLogin, PasswordlessForAnUnknownUserShowsTheSamePageAndSendsNothing) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse login = LoginPage(browser);
  http::ClientResponse unknown =
      Post(browser, "email-signin", login, {{"action", "send"}, {"username", "mallory"}});
  BrowserClient other(server_->base_url());
  http::ClientResponse login2 = LoginPage(other);
  http::ClientResponse known =
      Post(other, "email-signin", login2, {{"action", "send"}, {"username", "alice"}});
  EXPECT_EQ(unknown.status, known.status);
  auto strip = [](std::string body) {  // the per-flow values differ by design
    body = std::regex_replace(body, std::regex("value=\"[^\"]*\""), "value=\"\"");
    return std::regex_replace(body, std::regex("flow_id(=|&#61;)[^\"&]*"), "flow_id=");
  };
  EXPECT_EQ(strip(unknown.body), strip(known.body));
  auto mails = smtp_->WaitFor(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  mails = smtp_->Messages();
  ASSERT_EQ(mails.size(), 1u) << "a mail went to nobody's address";
  EXPECT_EQ(mails[0]["to"], "alice@example.com");
}

// The href of the page's language link to `lang` (&amp; unescaped), resolved against `page_path`
// as a browser would: a query-only reference keeps the page's path (RFC 3986 §5.2.2).
std::string LanguageLink(const std::string& html, const std::string& page_path,
                         const std::string& lang) {
  std::smatch m;
  const std::regex link("<a href=\"([^\"]*)\" lang=\"" + lang + "\" hreflang=\"" + lang + "\">");
  if (!std::regex_search(html, m, link)) return "";
  const std::string href = std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
  return href.rfind('?', 0) == 0 ? page_path + href : href;
}

TEST_P(EmailCodeLogin, LanguageLinkAfterAFailedCodeOpensTheSameStepWithGet) {
  BrowserClient browser(server_->base_url());
  http::ClientResponse page = MailedCodePage(browser);
  const std::string code = CodeIn(smtp_->WaitFor(1).at(0)["body"].get<std::string>());
  // The failed code's answer is the MFA page again, at the URL of the POST.
  http::ClientResponse failed = Post(browser, "mfa", page,
                                     {{"method", "email"}, {"code", code == "000000" ? "1" : "0"}});
  ASSERT_EQ(failed.status, 200);
  ASSERT_NE(failed.body.find(kInvalidCode), std::string::npos);
  const std::string link = LanguageLink(failed.body, "/realms/acme/login-actions/mfa", "ko");
  ASSERT_FALSE(link.empty()) << failed.body;
  EXPECT_EQ(UrlParam(link, "flow_id"), HiddenInput(failed.body, "flow_id"));
  auto korean = browser.Get(link);
  ASSERT_TRUE(korean);
  ASSERT_EQ(korean->status, 200) << "GET " << link << ": " << korean->body;
  EXPECT_NE(korean->body.find("<html lang=\"ko\""), std::string::npos) << korean->body;
  EXPECT_NE(korean->body.find("name=\"method\" value=\"email\""), std::string::npos)
      << "the same second-factor step";
  // The step is still open: the mailed code signs in from the Korean page.
  EXPECT_TRUE(SignedIn(Post(browser, "mfa", *korean, {{"method", "email"}, {"code", code}})));
}

INSTANTIATE_TEST_SUITE_P(Backends, EmailCodeLogin,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
