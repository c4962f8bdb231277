// Cookies (idm/http/cookies.h): lenient Cookie parsing (RFC 6265 §5.4), strict Set-Cookie
// building (§4.1.1, RFC 6265bis prefixes and SameSite), and WebRequest/WebResponse access.
#include "idm/http/cookies.h"

#include <gtest/gtest.h>

#include "idm/http/web.h"

namespace idm::http {
namespace {

TEST(ParseCookieHeader, SplitsPairsAndTrimsWhitespace) {
  EXPECT_EQ(ParseCookieHeader("a=1; b=2;c=3 ;  d = 4 "),
            (CookieList{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}));
}

TEST(ParseCookieHeader, ToleratesJunk) {
  EXPECT_EQ(ParseCookieHeader(";;junk; =x; e=; f==g; \"q\"=\"v\"; h=\"quoted\"; i=\"; ;"),
            (CookieList{{"e", ""}, {"f", "=g"}, {"\"q\"", "v"}, {"h", "quoted"}, {"i", "\""}}));
  EXPECT_TRUE(ParseCookieHeader("").empty());
  EXPECT_TRUE(ParseCookieHeader("no pairs here").empty());
}

TEST(ParseCookieHeader, KeepsDuplicatesInOrderAndNamesCaseSensitive) {
  EXPECT_EQ(ParseCookieHeader("sid=new; SID=other; sid=old"),
            (CookieList{{"sid", "new"}, {"SID", "other"}, {"sid", "old"}}));
}

TEST(WebRequestCookie, ReadsTheFirstValueAcrossCookieHeaders) {
  WebRequest r;
  r.headers.emplace("Cookie", "a=1; sid=first");
  r.headers.emplace("cookie", "sid=second; b=2");
  EXPECT_EQ(r.Cookie("sid"), "first");
  EXPECT_EQ(r.Cookie("b"), "2");
  EXPECT_EQ(r.Cookie("SID"), std::nullopt);
  EXPECT_EQ(r.Cookie("missing"), std::nullopt);
  EXPECT_EQ(WebRequest{}.Cookie("sid"), std::nullopt);
}

TEST(BuildSetCookie, WritesEveryAttribute) {
  Cookie c{"__Host-idm_session", "abc123", "/", 3600, true, true, SameSite::kLax};
  EXPECT_EQ(BuildSetCookie(c).value(),
            "__Host-idm_session=abc123; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax");
  Cookie plain{"idm_flow", "x", "/realms/r", std::nullopt, false, false, SameSite::kStrict};
  EXPECT_EQ(BuildSetCookie(plain).value(), "idm_flow=x; Path=/realms/r; SameSite=Strict");
  Cookie cross{"__Secure-x", "", "/", 0, true, true, SameSite::kNone};
  EXPECT_EQ(BuildSetCookie(cross).value(),
            "__Secure-x=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None");
}

TEST(BuildSetCookie, DefaultsAreHttpOnlyLaxAndPathRoot) {
  Cookie c;
  c.name = "sid";
  c.value = "v";
  EXPECT_EQ(BuildSetCookie(c).value(), "sid=v; Path=/; HttpOnly; SameSite=Lax");
}

TEST(BuildSetCookie, RejectsWhatCouldInjectAttributesOrBreakRules) {
  struct Case {
    std::string name;
    Cookie cookie;
  } cases[] = {
      {"empty name", {"", "v"}},
      {"name with =", {"a=b", "v"}},
      {"name with space", {"a b", "v"}},
      {"value with ;", {"a", "v; Domain=evil.example"}},
      {"value with space", {"a", "v w"}},
      {"value with quote", {"a", "\"v\""}},
      {"value with comma", {"a", "v,w"}},
      {"value with backslash", {"a", "v\\w"}},
      {"value with CR LF", {"a", "v\r\nSet-Cookie: x=y"}},
      {"value non-ASCII", {"a", "\xec\x84\xb8"}},
      {"relative path", {"a", "v", "realms"}},
      {"path with ;", {"a", "v", "/; Domain=evil"}},
      {"negative max-age", {"a", "v", "/", -1}},
      {"__Host- without Secure", {"__Host-a", "v", "/", std::nullopt, true, false}},
      {"__Host- with a path", {"__Host-a", "v", "/realms", std::nullopt, true, true}},
      {"__Secure- without Secure", {"__Secure-a", "v", "/", std::nullopt, true, false}},
      {"__HOST- without Secure", {"__HOST-a", "v", "/", std::nullopt, true, false}},
      {"__secure- without Secure", {"__secure-a", "v", "/", std::nullopt, true, false}},
      {"SameSite=None without Secure", {"a", "v", "/", std::nullopt, true, false, SameSite::kNone}},
  };
  for (const Case& c : cases) {
    auto r = BuildSetCookie(c.cookie);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
}

TEST(HostPrefixedName, PrefixesOnlySecureCookies) {
  EXPECT_EQ(HostPrefixedName("idm_session", true), "__Host-idm_session");
  EXPECT_EQ(HostPrefixedName("idm_session", false), "idm_session");
}

TEST(ExpiredCookie, DeletesWithMaxAgeZeroMatchingPathAndSecure) {
  EXPECT_EQ(BuildSetCookie(ExpiredCookie("__Host-sid", "/", true)).value(),
            "__Host-sid=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
}

TEST(SessionCookie, IsHostPrefixedHttpOnlyLaxAndSecureOverHttps) {
  EXPECT_EQ(BuildSetCookie(SessionCookie("opaque", true, 28800)).value(),
            "__Host-idm_session=opaque; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax");
  EXPECT_EQ(BuildSetCookie(SessionCookie("opaque", false, std::nullopt)).value(),
            "idm_session=opaque; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(BuildSetCookie(ExpiredSessionCookie(true)).value(),
            "__Host-idm_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
}

TEST(WebResponseCookies, AddsOneSetCookieHeaderPerCookie) {
  WebResponse r = WebResponse::Html(200, "<p>hi</p>");
  ASSERT_TRUE(r.AddCookie(Cookie{"a", "1"}).ok());
  ASSERT_TRUE(r.AddCookie(ExpiredCookie("b", "/", false)).ok());
  EXPECT_FALSE(r.AddCookie(Cookie{"c", "bad value"}).ok());
  auto [begin, end] = r.headers.equal_range("Set-Cookie");
  std::vector<std::string> values;
  for (auto it = begin; it != end; ++it) values.push_back(it->second);
  EXPECT_EQ(values, (std::vector<std::string>{"a=1; Path=/; HttpOnly; SameSite=Lax",
                                              "b=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"}));
}

TEST(WebResponseHeaders, AddHeaderKeepsEarlierValuesAndSetHeaderReplacesThem) {
  WebResponse r;
  r.AddHeader("Vary", "Cookie").AddHeader("vary", "Accept-Language");
  EXPECT_EQ(r.headers.count("Vary"), 2u);
  r.SetHeader("Vary", "Origin");
  EXPECT_EQ(r.headers.count("Vary"), 1u);
  EXPECT_EQ(r.headers.find("VARY")->second, "Origin");
}

}  // namespace
}  // namespace idm::http
