// Page security headers (idm/http/page_headers.h).
#include "idm/http/page_headers.h"

#include <gtest/gtest.h>

namespace idm::http {
namespace {

std::string Header(const WebResponse& r, const std::string& name) {
  EXPECT_EQ(r.headers.count(name), 1u) << name;
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

TEST(PageHeaders, DefaultPolicyAllowsOnlySameOriginStylesImagesAndForms) {
  EXPECT_EQ(PageContentSecurityPolicy({}),
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'");
}

TEST(PageHeaders, FormPostPolicyAddsTheRedirectUriAndTheScriptHash) {
  PagePolicy p{{"https://client.example/cb"}, {"'sha256-abc='"}};
  EXPECT_EQ(PageContentSecurityPolicy(p),
            "default-src 'none'; script-src 'sha256-abc='; style-src 'self'; img-src 'self' data:; "
            "form-action 'self' https://client.example/cb; frame-ancestors 'none'; "
            "base-uri 'none'");
}

TEST(PageHeaders, FrontChannelLogoutPageMayFrameTheClientsOrigins) {
  PagePolicy p;
  p.frame_src = {"https://rp1.example", "http://127.0.0.1:9000", "https://x.example; script-src *"};
  EXPECT_EQ(PageContentSecurityPolicy(p),
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "frame-src https://rp1.example http://127.0.0.1:9000; frame-ancestors 'none'; "
            "base-uri 'none'");
}

TEST(PageHeaders, SourcesThatCouldInjectDirectivesAreDropped) {
  PagePolicy p{
      {"https://a.example; script-src *", "", "https://b.example/x y", "https://ok.example",
       "https://c.example,https://d.example", "https://\xc3\xa9.example", "a\tb"},
      {"'unsafe-inline'; default-src *"}};
  EXPECT_EQ(PageContentSecurityPolicy(p),
            "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self' https://ok.example; frame-ancestors 'none'; base-uri 'none'");
}

TEST(PageHeaders, ApplySetsEverySecurityHeaderReplacingDefaults) {
  WebResponse r = WebResponse::Html(200, "<p>x</p>");
  r.SetHeader("Content-Security-Policy", "frame-ancestors 'none'");
  r.SetHeader("Cache-Control", "max-age=60");
  ApplyPageHeaders(r);
  EXPECT_EQ(Header(r, "Content-Security-Policy"), PageContentSecurityPolicy({}));
  EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(r, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(r, "Pragma"), "no-cache");
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(r, "Content-Type"), "text/html; charset=utf-8");
}

}  // namespace
}  // namespace idm::http
