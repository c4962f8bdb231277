// The form_post response page (idm/pages/form_post.h; OAuth 2.0 Form Post Response Mode §2).
#include "idm/pages/form_post.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/http/page_headers.h"
#include "tests/support/text.h"

namespace idm::pages {
namespace {

using idm::testing::PageContains;

TEST(FormPost, PostsEveryParameterAsAHiddenFieldToTheRedirectUri) {
  FormPostPage p = RenderFormPost("https://client.example/cb",
                                  {{"code", "idm_ac_123"}, {"state", "s t"}, {"iss", "https://i"}});
  EXPECT_TRUE(PageContains(p.html, "<form method=\"post\" action=\"https://client.example/cb\">"));
  EXPECT_TRUE(PageContains(p.html, "<input type=\"hidden\" name=\"code\" value=\"idm_ac_123\">"));
  EXPECT_TRUE(PageContains(p.html, "<input type=\"hidden\" name=\"state\" value=\"s t\">"));
  EXPECT_TRUE(PageContains(p.html, "name=\"iss\" value=\"https://i\""));
  EXPECT_TRUE(PageContains(p.html, "<noscript>"));
  EXPECT_TRUE(PageContains(p.html, "<button type=\"submit\">Continue</button>"));
  EXPECT_EQ(p.form_action_source, "https://client.example/cb");
}

TEST(FormPost, EscapesParametersAndTheRedirectUri) {
  FormPostPage p = RenderFormPost("https://c.example/cb?a=1&b=\"><script>x</script>",
                                  {{"state", "\"><script>alert(1)</script>"}, {"x\"y", "'"}},
                                  {"ko", "<t>", "<m>", "<b>"});
  EXPECT_EQ(std::count(p.html.begin(), p.html.end(), '<'),
            std::count(p.html.begin(), p.html.end(), '>'));
  EXPECT_TRUE(PageContains(p.html, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
  EXPECT_TRUE(PageContains(p.html, "name=\"x&quot;y\" value=\"&#39;\""));
  EXPECT_TRUE(PageContains(p.html, "action=\"https://c.example/cb?a&#61;1&amp;b&#61;&quot;&gt;"));
  EXPECT_TRUE(PageContains(p.html, "<html lang=\"ko\">"));
  EXPECT_TRUE(PageContains(p.html, "<title>&lt;t&gt;</title>"));
  // The only <script> element is the fixed auto-submit one.
  EXPECT_EQ(p.html.find("<script>"), p.html.rfind("<script>"));
}

TEST(FormPost, ScriptSourceIsTheSha256OfTheInlineScript) {
  FormPostPage p = RenderFormPost("https://c.example/cb", {});
  const size_t open = p.html.find("<script>") + 8;
  const std::string script = p.html.substr(open, p.html.find("</script>") - open);
  EXPECT_EQ(p.script_source, "'sha256-" + crypto::Base64Encode(crypto::Sha256(script)) + "'");
}

TEST(FormPost, PageHeadersAllowExactlyTheRedirectUriAndTheScript) {
  FormPostPage p = RenderFormPost("https://client.example/cb?x=1", {{"code", "c"}});
  http::WebResponse r = http::WebResponse::Html(200, p.html);
  http::ApplyPageHeaders(r, {{p.form_action_source}, {p.script_source}});
  const std::string csp = r.headers.find("Content-Security-Policy")->second;
  EXPECT_TRUE(PageContains(csp, "; script-src " + p.script_source + ";")) << csp;
  EXPECT_TRUE(PageContains(csp, "; form-action 'self' https://client.example/cb;")) << csp;
  EXPECT_TRUE(PageContains(csp, "default-src 'none'")) << csp;
  EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");  // Form Post §2: not stored
}

TEST(CspSourceForUrl, KeepsSchemeHostPortAndPathOnly) {
  struct Case {
    std::string url, source;
  } cases[] = {
      {"https://client.example/cb", "https://client.example/cb"},
      {"https://client.example:8443/a/b?x=1#f", "https://client.example:8443/a/b"},
      {"http://127.0.0.1:9000", "http://127.0.0.1:9000"},
      {"http://[::1]:9000/cb", "http://[::1]:9000/cb"},
      {"https://c.example/a;b,c d'e", "https://c.example/a%3Bb%2Cc%20d%27e"},
      {"com.example.app:/oauth2redirect", "com.example.app:"},
      {"https://user@c.example/cb", ""},
      {"https://c.example;script-src *", ""},
      {"https:///cb", ""},
      {"no-scheme", ""},
      {"1http://c.example/", ""},
      {":foo", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(CspSourceForUrl(c.url), c.source) << c.url;
}

}  // namespace
}  // namespace idm::pages
