#include "idm/realm/client_validation.h"

#include <gtest/gtest.h>

namespace idm::realm {
namespace {

core::Client WebClient() {
  core::Client c;
  c.client_id = "web-app";
  c.type = core::ClientType::kConfidential;
  c.token_endpoint_auth_method = "client_secret_basic";
  c.grant_types = {"authorization_code", "refresh_token"};
  c.redirect_uris = {"https://app.example.com/callback"};
  c.scopes = {"openid", "profile"};
  return c;
}

bool Has(const std::vector<core::FieldViolation>& v, const std::string& field) {
  for (const auto& f : v) {
    if (f.field == field) return true;
  }
  return false;
}

TEST(ClientValidation, ClientIdGrammar) {
  for (const std::string& ok : std::vector<std::string>{"a", "web-app", "svc.internal:v2", "A_b-9",
                                                        std::string(128, 'x')}) {
    EXPECT_TRUE(IsValidClientId(ok)) << ok;
  }
  for (const std::string& bad :
       std::vector<std::string>{"", "with space", "a/b", "ä", "a@b", std::string(129, 'x')}) {
    EXPECT_FALSE(IsValidClientId(bad)) << bad;
  }
}

TEST(ClientValidation, RedirectUriAcceptsHttpsLoopbackAndReverseDomainSchemes) {
  for (const char* uri : {"https://app.example.com/cb", "https://app.example.com:8443/cb?x=1",
                          "http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", "http://[::1]:8080/",
                          "http://localhost/cb", "http://LOCALHOST:3000/cb",
                          "com.example.app:/oauth2redirect", "com.example.app://callback"}) {
    EXPECT_EQ(RedirectUriProblem(uri), "") << uri;
  }
}

TEST(ClientValidation, RedirectUriRejectsUnsafeForms) {
  for (const char* uri : {
           "",                                    // empty
           "/relative/cb",                        // not absolute (RFC 6749 §3.1.2)
           "app.example.com/cb",                  // no scheme
           "https://app.example.com/cb#frag",     // fragment (RFC 6749 §3.1.2)
           "https://*.example.com/cb",            // wildcard
           "https://app.example.com/*",           // wildcard
           "http://app.example.com/cb",           // http to a non-loopback host (RFC 8252 §7.3)
           "http://127.0.0.2/cb",                 // not the loopback literal
           "http://localhost.evil.com/cb",        // looks like localhost
           "myapp:/cb",                           // private-use scheme without a dot (§7.1)
           "javascript:alert(1)",                 // dangerous scheme
           "data:text/html,hi",                   // dangerous scheme
           "https:///cb",                         // no host
           "https://user:pw@app.example.com/cb",  // userinfo
           "https://app.example.com/c b",         // space
       }) {
    EXPECT_NE(RedirectUriProblem(uri), "") << uri;
  }
  EXPECT_NE(RedirectUriProblem("https://a.example/" + std::string(2048, 'x')), "");
}

TEST(ClientValidation, ValidClientHasNoViolations) {
  EXPECT_TRUE(ValidateClient(WebClient()).empty());
}

TEST(ClientValidation, NamesTheIndexOfABadRedirectUri) {
  core::Client c = WebClient();
  c.redirect_uris.push_back("http://evil.example.com/cb");
  c.post_logout_redirect_uris = {"https://ok.example/", "x"};
  auto v = ValidateClient(c);
  EXPECT_TRUE(Has(v, "redirect_uris[1]"));
  EXPECT_TRUE(Has(v, "post_logout_redirect_uris[1]"));
  EXPECT_EQ(v.size(), 2u);
}

TEST(ClientValidation, GrantTypesComeFromTheKnownSet) {
  core::Client c = WebClient();
  c.grant_types = {"authorization_code", "password", "implicit"};  // RFC 9700 §2.4 / §2.1.2
  auto v = ValidateClient(c);
  EXPECT_TRUE(Has(v, "grant_types[1]"));
  EXPECT_TRUE(Has(v, "grant_types[2]"));
  c.grant_types.clear();
  EXPECT_TRUE(Has(ValidateClient(c), "grant_types"));
}

TEST(ClientValidation, AuthorizationCodeNeedsARedirectUri) {
  core::Client c = WebClient();
  c.redirect_uris.clear();
  EXPECT_TRUE(Has(ValidateClient(c), "redirect_uris"));
}

TEST(ClientValidation, PublicClientsUseNoneAndNoClientCredentials) {
  core::Client c = WebClient();
  c.type = core::ClientType::kPublic;
  EXPECT_TRUE(Has(ValidateClient(c), "token_endpoint_auth_method"));
  c.token_endpoint_auth_method = "none";
  EXPECT_TRUE(ValidateClient(c).empty());
  c.grant_types.push_back("client_credentials");
  EXPECT_TRUE(Has(ValidateClient(c), "grant_types[2]"));
}

TEST(ClientValidation, ConfidentialClientsMustAuthenticateWithAKnownMethod) {
  core::Client c = WebClient();
  c.token_endpoint_auth_method = "none";
  EXPECT_TRUE(Has(ValidateClient(c), "token_endpoint_auth_method"));
  c.token_endpoint_auth_method = "client_secret_jwt";
  EXPECT_TRUE(Has(ValidateClient(c), "token_endpoint_auth_method"));
  for (const char* m : {"client_secret_basic", "client_secret_post", "private_key_jwt"}) {
    c.token_endpoint_auth_method = m;
    EXPECT_TRUE(ValidateClient(c).empty()) << m;
  }
}

TEST(ClientValidation, ScopesAreScopeTokensAndTextIsBounded) {
  core::Client c = WebClient();
  c.scopes = {"openid", "bad scope", "quote\"", ""};
  c.name = std::string(256, 'n');
  c.description = std::string(1025, 'd');
  auto v = ValidateClient(c);
  EXPECT_TRUE(Has(v, "scopes[1]"));
  EXPECT_TRUE(Has(v, "scopes[2]"));
  EXPECT_TRUE(Has(v, "scopes[3]"));
  EXPECT_FALSE(Has(v, "scopes[0]"));
  EXPECT_TRUE(Has(v, "name"));
  EXPECT_TRUE(Has(v, "description"));
}

struct RegistrationCase {
  const char* name;
  std::string uri;
  bool ok;
};

TEST(ClientValidation, RedirectUrisAreHttpsLoopbackHttpOrReverseDnsSchemesRfc8252) {
  const std::vector<RegistrationCase> cases = {
      {"https", "https://app.example/cb", true},
      {"https with query", "https://app.example/cb?tenant=1", true},
      {"https with fragment", "https://app.example/cb#frag", false},
      {"wildcard", "https://*.app.example/cb", false},
      {"https without host", "https:///cb", false},
      {"relative", "/cb", false},
      {"no scheme", "app.example/cb", false},
      {"http remote", "http://app.example/cb", false},
      // localhost is accepted but matched exactly, port included: only IP literals get the
      // any-port exception of RFC 8252 §7.3 (oauth/redirect_uri.cc; §8.3 recommends the literals).
      {"http localhost", "http://localhost:8080/cb", true},
      {"http ipv4 loopback", "http://127.0.0.1/cb", true},
      {"http ipv6 loopback", "http://[::1]:8080/cb", true},
      {"private-use reverse dns", "com.example.app:/oauth2redirect", true},
      {"private-use with authority", "com.example.app://callback", true},
      {"single-label scheme", "myapp://callback", false},
      {"javascript", "javascript:alert(1)", false},
      {"data", "data:text/html,hi", false},
      {"bad scheme char", "com_example.app:/cb", false},
      {"empty", "", false},
      {"space", "https://app.example/a b", false},
      {"non-ascii", "https://app.example/caf\xc3\xa9", false},
      {"userinfo", "https://user@app.example/cb", false},
      {"loopback userinfo", "http://x@127.0.0.1/cb", false},
  };
  for (const RegistrationCase& c : cases) {
    EXPECT_EQ(RedirectUriProblem(c.uri).empty(), c.ok) << c.name << ": " << RedirectUriProblem(c.uri);
  }
}

}  // namespace
}  // namespace idm::realm
