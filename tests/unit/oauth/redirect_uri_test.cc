// Redirect URI matching (RFC 9700 §2.1, RFC 3986 §6.2.1, RFC 8252 §7.1-7.3, §8.3) and the
// registration check (RFC 6749 §3.1.2).
#include "idm/oauth/redirect_uri.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace idm::oauth {
namespace {

struct MatchCase {
  const char* name;
  std::string registered;
  std::string requested;
  bool matches;
};

TEST(RedirectUri, MatchingIsExactExceptTheLoopbackPort) {
  const std::vector<MatchCase> cases = {
      {"identical https", "https://app.example/cb", "https://app.example/cb", true},
      {"extra query param", "https://app.example/cb", "https://app.example/cb?x=1", false},
      {"registered query kept", "https://app.example/cb?a=1", "https://app.example/cb?a=1", true},
      {"trailing slash", "https://app.example/cb", "https://app.example/cb/", false},
      {"host case differs", "https://app.example/cb", "https://APP.example/cb", false},
      {"default port spelled out", "https://app.example/cb", "https://app.example:443/cb", false},
      {"percent-encoding differs", "https://app.example/a b", "https://app.example/a%20b", false},
      {"subdomain", "https://app.example/cb", "https://evil.app.example/cb", false},
      {"path prefix", "https://app.example/cb", "https://app.example/cb/../evil", false},
      {"fragment added", "https://app.example/cb", "https://app.example/cb#x", false},
      {"https port is not ignored", "https://app.example/cb", "https://app.example:8443/cb", false},
      {"ipv4 loopback any port", "http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", true},
      {"ipv4 loopback registered port ignored", "http://127.0.0.1:8080/cb",
       "http://127.0.0.1:51004/cb", true},
      {"ipv4 loopback without port", "http://127.0.0.1/cb", "http://127.0.0.1/cb", true},
      {"ipv6 loopback any port", "http://[::1]/cb", "http://[::1]:6000/cb", true},
      {"loopback path differs", "http://127.0.0.1/cb", "http://127.0.0.1:5000/other", false},
      {"loopback query differs", "http://127.0.0.1/cb", "http://127.0.0.1:5000/cb?x", false},
      {"loopback v4 vs v6", "http://127.0.0.1/cb", "http://[::1]:5000/cb", false},
      {"loopback non-numeric port", "http://127.0.0.1/cb", "http://127.0.0.1:a/cb", false},
      {"loopback userinfo", "http://127.0.0.1/cb", "http://evil@127.0.0.1:1/cb", false},
      {"localhost gets no port exception", "http://localhost/cb", "http://localhost:5000/cb",
       false},
      {"localhost exact", "http://localhost/cb", "http://localhost/cb", true},
      {"https loopback gets no port exception", "https://127.0.0.1/cb", "https://127.0.0.1:5000/cb",
       false},
      {"private-use scheme exact", "com.example.app:/oauth2redirect",
       "com.example.app:/oauth2redirect", true},
      {"private-use scheme path differs", "com.example.app:/oauth2redirect",
       "com.example.app:/other", false},
      {"private-use scheme case differs", "com.example.app:/cb", "COM.example.app:/cb", false},
      {"claimed https exact", "https://app.example.com/native/cb",
       "https://app.example.com/native/cb", true},
  };
  for (const MatchCase& c : cases) {
    EXPECT_EQ(RedirectUriMatches(c.registered, c.requested), c.matches) << c.name;
  }
}

TEST(RedirectUri, FindReturnsTheRegisteredUriThatMatched) {
  std::vector<std::string> registered = {"https://a.example/cb", "http://127.0.0.1/cb"};
  EXPECT_EQ(FindRegisteredRedirectUri(registered, "http://127.0.0.1:9/cb"),
            std::optional<std::string>("http://127.0.0.1/cb"));
  EXPECT_EQ(FindRegisteredRedirectUri(registered, "https://b.example/cb"), std::nullopt);
  EXPECT_EQ(FindRegisteredRedirectUri({}, "https://a.example/cb"), std::nullopt);
}

TEST(RedirectUri, SplitUriFindsHostPortAndPath) {
  auto p = SplitUri("HTTP://[::1]:8080/a/b?q=1#f");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->scheme, "http");
  EXPECT_EQ(p->host, "[::1]");
  EXPECT_EQ(p->port, "8080");
  EXPECT_EQ(p->path_and_query, "/a/b?q=1");
  EXPECT_TRUE(p->has_fragment);
  EXPECT_FALSE(SplitUri("1abc:/x").has_value());
}

}  // namespace
}  // namespace idm::oauth
