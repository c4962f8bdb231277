// PageRenderer (idm/pages/page_renderer.h): the default theme's pages, localisation, escaping of
// every caller-supplied value, and theme-directory overrides.
#include "idm/pages/page_renderer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include "tests/support/text.h"

namespace idm::pages {
namespace {

using idm::testing::PageContains;

using core::Json;
namespace fs = std::filesystem;


PageRenderer Default() {
  auto r = PageRenderer::Load({});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  return std::move(r).value();
}

using Files = std::map<std::string, std::string>;

// A fresh theme directory with the given files, removed at the end of the test.
class ThemeDir {
 public:
  explicit ThemeDir(const std::map<std::string, std::string>& files) {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("idm-theme-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
    for (const auto& [name, content] : files) std::ofstream(path_ / name) << content;
  }
  ~ThemeDir() { fs::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

Json LoginContext() {
  return Json{{"client_name", "Photo App"},
              {"form_action", "/realms/r/login"},
              {"flow_id", "flow-123"},
              {"csrf_token", "tok-abc"},
              {"username", ""}};
}

TEST(PageRenderer, LoginPageHasTheFormFieldsHiddenTokensAndLocaleLinks) {
  const std::string html = Default().Render(Page::kLogin, "en", LoginContext());
  EXPECT_TRUE(PageContains(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(PageContains(html, "<html lang=\"en\">"));
  EXPECT_TRUE(PageContains(html, "<title>Sign in · Identity</title>"));
  EXPECT_TRUE(PageContains(html, "<form method=\"post\" action=\"/realms/r/login\">"));
  EXPECT_TRUE(PageContains(html, "<input type=\"hidden\" name=\"csrf_token\" value=\"tok-abc\">"));
  EXPECT_TRUE(PageContains(html, "<input type=\"hidden\" name=\"flow_id\" value=\"flow-123\">"));
  EXPECT_TRUE(PageContains(html, "name=\"username\""));
  EXPECT_TRUE(PageContains(html, "type=\"password\""));
  EXPECT_TRUE(PageContains(html, "<strong>Photo App</strong>"));
  EXPECT_TRUE(PageContains(html, "href=\"/resources/idm.css\""));
  EXPECT_TRUE(PageContains(html, "<span lang=\"en\" aria-current=\"true\">English</span>"));
  EXPECT_TRUE(PageContains(html, "<a href=\"?ui_locales=ko&amp;flow_id=flow-123\"")) << html;
  EXPECT_FALSE(PageContains(html, "<script")) << "pages work without JavaScript";
  EXPECT_FALSE(PageContains(html, "role=\"alert\""));
}

TEST(PageRenderer, LoginPageInKorean) {
  const std::string html = Default().Render(Page::kLogin, "ko", LoginContext());
  EXPECT_TRUE(PageContains(html, "<html lang=\"ko\">"));
  EXPECT_TRUE(PageContains(html, "<h1>로그인</h1>"));
  EXPECT_TRUE(PageContains(html, "비밀번호"));
  EXPECT_TRUE(PageContains(html, "<span lang=\"ko\" aria-current=\"true\">한국어</span>"));
  EXPECT_TRUE(PageContains(html, ">English</a>"));
}

TEST(PageRenderer, LocaleLinksOmitTheFlowIdWhenThereIsNone) {
  Json ctx = LoginContext();
  ctx.erase("flow_id");
  const std::string html = Default().Render(Page::kLogin, "ko", ctx);
  EXPECT_TRUE(PageContains(html, "<a href=\"?ui_locales=en\" lang=\"en\" hreflang=\"en\">English</a>"))
      << html;
}

TEST(PageRenderer, UnsupportedLocaleRendersInEnglish) {
  const std::string html = Default().Render(Page::kLogin, "fr", LoginContext());
  EXPECT_TRUE(PageContains(html, "<html lang=\"en\">"));
  EXPECT_TRUE(PageContains(html, "<h1>Sign in</h1>"));
}

TEST(PageRenderer, FailedLoginShowsOneMessageForUnknownUserAndWrongPassword) {
  // The endpoint can only say "login failed"; the page has no way to tell the two apart
  // (ARCHITECTURE.md decision 8: no user enumeration).
  Json ctx = LoginContext();
  ctx["login_failed"] = true;
  ctx["username"] = "ann";
  const PageRenderer r = Default();
  const std::string en = r.Render(Page::kLogin, "en", ctx);
  EXPECT_TRUE(PageContains(en,
                       "<p class=\"alert\" role=\"alert\">The username or password is "
                       "incorrect.</p>"));
  EXPECT_TRUE(PageContains(en, "value=\"ann\""));
  EXPECT_TRUE(PageContains(r.Render(Page::kLogin, "ko", ctx),
                       "사용자 이름 또는 비밀번호가 올바르지 않습니다."));
}

Json EveryField(const std::string& v) {
  return Json{{"client_name", v}, {"form_action", v}, {"flow_id", v}, {"csrf_token", v},
              {"username", v},    {"scopes", {v}},    {"error", v},   {"error_detail", v},
              {"request_id", v},  {"continue_url", v}};
}

size_t Markup(const std::string& html) {
  return std::count_if(html.begin(), html.end(),
                       [](char c) { return c == '<' || c == '>' || c == '"' || c == '\''; });
}

TEST(PageRenderer, EscapesEveryCallerValue) {
  // The same page with a harmless value and with XSS payloads has exactly the same markup: no
  // payload adds an element, closes an attribute or opens a new one.
  const PageRenderer r = Default();
  for (const char* xss : {"\"><script>alert(1)</script>", "' onfocus='alert(1)",
                          "<img src=x onerror=alert(1)>", "` onload=`x"}) {
    for (Page p : {Page::kLogin, Page::kConsent, Page::kError, Page::kLogout, Page::kLoggedOut}) {
      const std::string html = r.Render(p, "en", EveryField(xss));
      EXPECT_FALSE(PageContains(html, "<script")) << PageFileName(p);
      EXPECT_FALSE(PageContains(html, "<img")) << PageFileName(p);
      EXPECT_EQ(Markup(html), Markup(r.Render(p, "en", EveryField("x")))) << PageFileName(p);
    }
  }
}

TEST(PageRenderer, ConsentPageDescribesScopesInTheLocale) {
  Json ctx = {{"client_name", "Photo App"},
              {"scopes", {"openid", "email", "photos:read", 7}},
              {"username", "ann"},
              {"csrf_token", "t"},
              {"flow_id", "f"}};
  const PageRenderer r = Default();
  const std::string en = r.Render(Page::kConsent, "en", ctx);
  EXPECT_TRUE(PageContains(en, "<strong>Photo App</strong> is asking for permission to:"));
  EXPECT_TRUE(PageContains(en, "See your email address</span> <code class=\"scope-name\">email"));
  EXPECT_TRUE(PageContains(en, "photos:read</span> <code class=\"scope-name\">photos:read"));
  EXPECT_FALSE(PageContains(en, ">7<")) << "non-string scopes are dropped";
  EXPECT_TRUE(PageContains(en, "name=\"decision\" value=\"approve\""));
  EXPECT_TRUE(PageContains(en, "name=\"decision\" value=\"deny\""));
  const std::string ko = r.Render(Page::kConsent, "ko", ctx);
  EXPECT_TRUE(PageContains(ko, "<strong>Photo App</strong>에서 다음 권한을 요청합니다:"));
  EXPECT_TRUE(PageContains(ko, "이메일 주소 보기"));
  EXPECT_TRUE(PageContains(ko, "<button type=\"submit\" name=\"decision\" value=\"approve\">허용"));
}

TEST(PageRenderer, ErrorPageShowsOnlyCatalogTextsForTheErrorCode) {
  const PageRenderer r = Default();
  const std::string known = r.Render(Page::kError, "en",
                                     Json{{"error", "invalid_redirect_uri"},
                                          {"error_description", "raw text from the request"},
                                          {"request_id", "req-1"}});
  EXPECT_TRUE(PageContains(known, "<h1>Unregistered return address</h1>"));
  EXPECT_TRUE(PageContains(known, "<title>Unregistered return address · Identity</title>"));
  EXPECT_FALSE(PageContains(known, "raw text from the request"));
  EXPECT_TRUE(PageContains(known, "Request ID: <code>req-1</code>"));
  const std::string unknown = r.Render(Page::kError, "ko", Json{{"error", "made_up"}});
  EXPECT_TRUE(PageContains(unknown, "<h1>문제가 발생했습니다</h1>"));
  EXPECT_FALSE(PageContains(unknown, "made_up"));
}

TEST(PageRenderer, LogoutAndLoggedOutPages) {
  const PageRenderer r = Default();
  const std::string logout =
      r.Render(Page::kLogout, "en",
               Json{{"client_name", "Photo App"},
                    {"csrf_token", "t"},
                    {"hidden", {{{"name", "state"}, {"value", "s&1"}}}}});
  EXPECT_TRUE(PageContains(logout, "<strong>Photo App</strong> has asked to sign you out."));
  EXPECT_TRUE(PageContains(logout, "name=\"csrf_token\" value=\"t\""));
  EXPECT_TRUE(PageContains(logout, "<input type=\"hidden\" name=\"state\" value=\"s&amp;1\">"));
  const std::string back =
      r.Render(Page::kLoggedOut, "en", Json{{"continue_url", "https://app.example/bye"}});
  EXPECT_TRUE(PageContains(back, "href=\"https://app.example/bye\""));
  EXPECT_FALSE(PageContains(back, "close this window"));
  EXPECT_FALSE(PageContains(back, "<iframe"));
  const std::string frames = r.Render(
      Page::kLoggedOut, "en",
      Json{{"frontchannel", {{{"uri", "https://rp.example/fc?iss=x&sid=1"}}}}});
  EXPECT_TRUE(PageContains(frames, "<iframe class=\"frontchannel-logout\" "
                               "src=\"https://rp.example/fc?iss&#61;x&amp;sid&#61;1\""))
      << frames;
  const std::string close = r.Render(Page::kLoggedOut, "ko", Json::object());
  EXPECT_TRUE(PageContains(close, "이제 이 창을 닫아도 됩니다."));
}

TEST(PageRenderer, ChoosesLocalesAmongTheCatalogs) {
  const PageRenderer r = Default();
  EXPECT_EQ(r.ChooseLocale({"", "ko-KR,ko;q=0.9,en;q=0.8", ""}), "ko");
  EXPECT_EQ(r.ChooseLocale({"en", "ko", ""}), "en");
}

TEST(PageRenderer, ThemeDirectoryOverridesTemplatesByFileNameAndAddsPartials) {
  ThemeDir dir(
      Files{{"login.html", "<h1 class=\"brand\">{{msg.login.title}}</h1>{{> brand_footer}}"},
            {"brand_footer.html", "<footer>{{client_name}}</footer>"},
            {"idm.css", "body{color:red}"},
            {"notes.txt", "{{#ignored"}});
  auto r = PageRenderer::Load({dir.path(), "/static/theme.css"});
  ASSERT_TRUE(r.ok()) << r.error();
  const std::string login = r->Render(Page::kLogin, "ko", Json{{"client_name", "<A>"}});
  EXPECT_TRUE(PageContains(login, "<h1 class=\"brand\">로그인</h1><footer>&lt;A&gt;</footer>"));
  EXPECT_TRUE(PageContains(login, "href=\"/static/theme.css\""));
  EXPECT_EQ(r->Stylesheet(), "body{color:red}");
  // Pages the theme does not override keep the default templates.
  EXPECT_TRUE(PageContains(r->Render(Page::kConsent, "en", Json::object()), "Allow access?"));
}

TEST(PageRenderer, BrokenThemeTemplateFailsLoadWithFileAndLine) {
  ThemeDir dir(Files{{"consent.html", "<ul>\n{{#scopes}}\n<li>{{name}}</li>\n</ul>\n"}});
  auto r = PageRenderer::Load({dir.path(), "/x.css"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "theme: consent.html:2: unclosed section 'scopes'");
}

TEST(PageRenderer, ThemeWithUnknownPartialFailsLoad) {
  ThemeDir dir(Files{{"layout.html", "{{{content}}}{{> nowhere}}"}});
  auto r = PageRenderer::Load({dir.path(), "/x.css"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(PageContains(r.error(), "layout.html: unknown partial 'nowhere'")) << r.error();
}

TEST(PageRenderer, OversizedThemeFileFailsLoadAndDirectoriesAreSkipped) {
  ThemeDir big(Files{{"login.html", std::string((1 << 20) + 1, 'x')}});
  ASSERT_EQ(fs::file_size(fs::path(big.path()) / "login.html"), (1u << 20) + 1);
  auto r = PageRenderer::Load({big.path(), "/x.css"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(PageContains(r.error(), "login.html: larger than 1 MiB")) << r.error();
  ThemeDir with_subdir(Files{});
  fs::create_directories(fs::path(with_subdir.path()) / "error.html");
  EXPECT_TRUE(PageRenderer::Load({with_subdir.path(), "/x.css"}).ok());
}

TEST(PageRenderer, MissingThemeDirectoryFailsLoad) {
  auto r = PageRenderer::Load({"/nonexistent/idm-theme", "/x.css"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(PageContains(r.error(), "theme directory /nonexistent/idm-theme")) << r.error();
}

TEST(PageRenderer, DefaultStylesheetIsEmbedded) {
  EXPECT_TRUE(PageContains(Default().Stylesheet(), ".card"));
}

}  // namespace
}  // namespace idm::pages
