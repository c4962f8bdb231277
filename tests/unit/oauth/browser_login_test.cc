// BrowserLogin (idm/oauth/login_pages.h) without sockets: the authorization endpoint's error
// handling (RFC 6749 §4.1.2.1: never redirect before the redirect URI is established; redirect
// with state and iss after, RFC 9207 §2), POST requests (OIDC Core §3.1.2.1), secure cookies
// behind an https public URL (RFC 6265bis §4.1.3.2), CSRF tokens on the login form.
#include <gtest/gtest.h>

#include "idm/authn/login_service.h"
#include "idm/oauth/authorization_response.h"
#include "idm/oauth/login_pages.h"
#include "idm/session/session_service.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

constexpr char kBrowserRedirect[] = "https://app.example/cb";
constexpr char kBrowserChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

std::string Encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(k) + "=" + PercentEncode(v);
  }
  return out;
}

class BrowserLoginTest : public OAuthTest {
 protected:
  void SetUp() override {
    OAuthTest::SetUp();
    core::Client draft;
    draft.client_id = "app";
    draft.type = core::ClientType::kPublic;
    draft.token_endpoint_auth_method = "none";
    draft.redirect_uris = {kBrowserRedirect};
    draft.grant_types = {"authorization_code"};
    draft.scopes = {"openid", "profile"};
    ASSERT_TRUE(clients_->Create(Ctx(), "acme", draft).ok());
    auto renderer = pages::PageRenderer::Load({});
    ASSERT_TRUE(renderer.ok());
    renderer_ = std::make_unique<pages::PageRenderer>(std::move(*renderer));
    csrf_ = std::make_unique<pages::CsrfTokens>(*pages::CsrfTokens::Create(std::string(32, 'k')));
    sessions_ = std::make_unique<session::SessionService>(random_);
    totp_ = std::make_unique<authn::factors::TotpFactor>(kek_, random_);
    recovery_ = std::make_unique<authn::factors::RecoveryCodeFactor>(std::string(32, 'r'), random_);
    login_ = std::make_unique<authn::LoginService>(*store_, *hasher_, random_, *sessions_,
                                                   authn::SecondFactors{*totp_, *recovery_});
    notices_ = std::make_unique<LogoutNotifier>(*keys_, backchannel_, random_, "pairwise");
    browser_ = std::make_unique<BrowserLogin>(BrowserLoginDeps{
        kPublicUrl, *realms_, *clients_, *login_, *renderer_, *csrf_, clock_, *notices_});
    RegisterBrowserLoginRoutes(*router_, *browser_);
  }

  static std::vector<std::pair<std::string, std::string>> Params() {
    return {{"client_id", "app"},
            {"response_type", "code"},
            {"scope", "openid"},
            {"redirect_uri", kBrowserRedirect},
            {"state", "s1"},
            {"code_challenge", kBrowserChallenge},
            {"code_challenge_method", "S256"}};
  }

  http::WebRequest Get(const std::string& path, const std::string& query) {
    http::WebRequest r;
    r.method = "GET";
    r.path = path;
    r.query = http::ParseUrlEncoded(query);
    r.remote_addr = "192.0.2.1";
    r.received_at = clock_.NowMillis();
    return r;
  }

  http::WebRequest Post(const std::string& path, const std::string& body) {
    http::WebRequest r = Get(path, "");
    r.method = "POST";
    r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    r.body = body;
    return r;
  }

  static std::string Header(const http::WebResponse& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? "" : it->second;
  }

  std::unique_ptr<pages::PageRenderer> renderer_;
  std::unique_ptr<pages::CsrfTokens> csrf_;
  std::unique_ptr<session::SessionService> sessions_;
  crypto::Kek kek_ = crypto::Kek::Generate(random_);
  std::unique_ptr<authn::factors::TotpFactor> totp_;
  std::unique_ptr<authn::factors::RecoveryCodeFactor> recovery_;
  std::unique_ptr<authn::LoginService> login_;
  BackchannelLogoutSender backchannel_;
  std::unique_ptr<LogoutNotifier> notices_;
  std::unique_ptr<BrowserLogin> browser_;
};

constexpr char kAuth[] = "/realms/acme/protocol/openid-connect/auth";

TEST_F(BrowserLoginTest, ValidRequestStoresAFlowAndSendsTheBrowserToItsPageWithSecureCookies) {
  http::WebResponse r = Serve(Get(kAuth, Encode(Params())));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(Header(r, "Location").rfind("/realms/acme/login-actions/authenticate?flow_id=", 0), 0u);
  const std::string cookie = Header(r, "Set-Cookie");
  EXPECT_EQ(cookie.rfind("__Host-idm_flow=idm_fb_", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; Secure"), std::string::npos);
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
}

TEST_F(BrowserLoginTest, PostWithAFormBodyIsTheSameRequest) {
  http::WebResponse r = Serve(Post(kAuth, Encode(Params())));
  EXPECT_EQ(r.status, 303) << r.body;
}

TEST_F(BrowserLoginTest, ErrorsBeforeTheRedirectUriIsKnownAreAPageNeverARedirect) {
  struct Case {
    const char* name;
    std::string query;
    int status;
  } cases[] = {
      {"no client_id", Encode({{"response_type", "code"}, {"redirect_uri", kBrowserRedirect}}), 400},
      {"unknown client", Encode({{"client_id", "nope"}, {"redirect_uri", kBrowserRedirect}}), 400},
      {"unregistered redirect_uri",
       Encode({{"client_id", "app"},
               {"redirect_uri", "https://evil.example/cb"},
               {"scope", "openid"}}),
       400},
  };
  for (const Case& c : cases) {
    http::WebResponse r = Serve(Get(kAuth, c.query));
    EXPECT_EQ(r.status, c.status) << c.name;
    EXPECT_EQ(Header(r, "Location"), "") << c.name;
    EXPECT_NE(Header(r, "Content-Type").find("text/html"), std::string::npos) << c.name;
    EXPECT_NE(Header(r, "Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos)
        << c.name;
  }
  http::WebResponse unknown_realm =
      Serve(Get("/realms/nope/protocol/openid-connect/auth", Encode(Params())));
  EXPECT_EQ(unknown_realm.status, 404);
}

TEST_F(BrowserLoginTest, ErrorsAfterTheRedirectUriIsKnownGoBackWithStateAndIss) {
  auto params = Params();
  params.erase(params.begin() + 5, params.end());  // no PKCE for a public client
  http::WebResponse r = Serve(Get(kAuth, Encode(params)));
  ASSERT_EQ(r.status, 302) << r.body;
  const std::string location = Header(r, "Location");
  EXPECT_EQ(location.rfind(std::string(kBrowserRedirect) + "?error=invalid_request", 0), 0u) << location;
  EXPECT_NE(location.find("state=s1"), std::string::npos);
  EXPECT_NE(location.find("iss=" + PercentEncode(std::string(kPublicUrl) + "/realms/acme")),
            std::string::npos)
      << location;
}

TEST_F(BrowserLoginTest, LoginPageCarriesTheFlowsCsrfTokenAndAForgedOneIsRefused) {
  http::WebResponse start = Serve(Get(kAuth, Encode(Params())));
  const std::string location = Header(start, "Location");
  const std::string flow_id = location.substr(location.find("flow_id=") + 8);
  const std::string cookie = Header(start, "Set-Cookie");
  const std::string binding = cookie.substr(0, cookie.find(';'));
  http::WebRequest show = Get("/realms/acme/login-actions/authenticate", "flow_id=" + flow_id);
  show.headers.emplace("Cookie", binding);
  http::WebResponse page = Serve(show);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("value=\"" + csrf_->Issue(flow_id) + "\""), std::string::npos);

  http::WebRequest forged = Post("/realms/acme/login-actions/authenticate",
                                 Encode({{"flow_id", flow_id},
                                         {"csrf_token", csrf_->Issue("another-flow")},
                                         {"username", "alice"},
                                         {"password", "x"}}));
  forged.headers.emplace("Cookie", binding);
  EXPECT_EQ(Serve(forged).status, 403);

  http::WebRequest no_binding =
      Get("/realms/acme/login-actions/authenticate", "flow_id=" + flow_id);
  EXPECT_EQ(Serve(no_binding).status, 403) << "another browser cannot open the flow";
}

// OIDC Core §3.1.2.1 ui_locales picks the page language; a language link (?ui_locales=) wins.
TEST_F(BrowserLoginTest, UiLocalesOfTheRequestChoosesThePageLanguage) {
  auto params = Params();
  params.emplace_back("ui_locales", "ko-KR en");
  http::WebResponse start = Serve(Get(kAuth, Encode(params)));
  ASSERT_EQ(start.status, 303);
  const std::string location = Header(start, "Location");
  const std::string flow_id = location.substr(location.find("flow_id=") + 8);
  const std::string cookie = Header(start, "Set-Cookie");
  http::WebRequest show = Get("/realms/acme/login-actions/authenticate", "flow_id=" + flow_id);
  show.headers.emplace("Cookie", cookie.substr(0, cookie.find(';')));
  EXPECT_NE(Serve(show).body.find("<html lang=\"ko\">"), std::string::npos);
  show.query = http::ParseUrlEncoded("flow_id=" + flow_id + "&ui_locales=en");
  EXPECT_NE(Serve(show).body.find("<html lang=\"en\">"), std::string::npos);
}

TEST_F(BrowserLoginTest, StylesheetIsServedAsCss) {
  http::WebResponse r = Serve(Get("/resources/idm.css", ""));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, renderer_->Stylesheet());
  EXPECT_NE(Header(r, "Content-Type").find("text/css"), std::string::npos);
}

}  // namespace
}  // namespace idm::oauth::testing
