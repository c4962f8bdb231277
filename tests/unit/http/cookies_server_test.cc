// Cookies and page headers over real sockets: several Set-Cookie headers reach the client
// unfolded (RFC 6265 §3), the Cookie header reaches the endpoint, and the page CSP is not
// replaced by the server's generic security headers.
#include <gtest/gtest.h>

#include <set>

#include "idm/http/client.h"
#include "idm/http/cookies.h"
#include "idm/http/page_headers.h"
#include "server_fixture.h"

namespace idm::http {
namespace {

Router PageRouter() {
  Router r;
  r.Add("GET", "/page", [](const WebRequest& q) {
    WebResponse w = WebResponse::Html(200, "<p>" + q.Cookie("idm_flow").value_or("none") + "</p>");
    ApplyPageHeaders(w, {{"https://client.example/cb"}, {}});
    if (!w.AddCookie(SessionCookie("s1", false, 3600)).ok()) return WebResponse::Text(500, "");
    if (!w.AddCookie(ExpiredCookie("idm_flow", "/", false)).ok()) return WebResponse::Text(500, "");
    return w;
  });
  return r;
}

TEST(CookiesOverHttp, EachCookieIsItsOwnSetCookieHeaderAndPageHeadersSurvive) {
  testing::RunningServer s(PageRouter());
  Client c(s.Url());
  auto r = c.Get("/page", Headers{{"Cookie", "idm_flow=f-42; other=1"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "<p>f-42</p>");
  std::multiset<std::string> cookies;
  auto [begin, end] = r->headers.equal_range("Set-Cookie");
  for (auto it = begin; it != end; ++it) cookies.insert(it->second);
  EXPECT_EQ(cookies, (std::multiset<std::string>{
                         "idm_session=s1; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax",
                         "idm_flow=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"}));
  EXPECT_EQ(r->headers.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(r->Header("Content-Security-Policy"),
            PageContentSecurityPolicy({{"https://client.example/cb"}, {}}));
  EXPECT_EQ(r->Header("Cache-Control"), "no-store");
}

}  // namespace
}  // namespace idm::http
