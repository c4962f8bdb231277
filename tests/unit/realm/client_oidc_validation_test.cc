// The OpenID Connect settings of a client (client_validation.h, AppendOidcViolations).
#include <gtest/gtest.h>

#include "idm/realm/client_validation.h"

namespace idm::realm {
namespace {

core::Client OidcClient() {
  core::Client c;
  c.client_id = "web-app";
  c.token_endpoint_auth_method = "client_secret_basic";
  c.grant_types = {"authorization_code", "refresh_token"};
  c.redirect_uris = {"https://app.example.com/callback"};
  c.scopes = {"openid", "profile", "email"};
  return c;
}

std::vector<std::string> Fields(const core::Client& c) {
  std::vector<std::string> out;
  for (const auto& v : ValidateClient(c)) out.push_back(v.field);
  return out;
}

TEST(ClientOidcValidation, SecureDefaultsAndAFullyConfiguredClientAreValid) {
  core::Client c = OidcClient();
  EXPECT_TRUE(c.require_pkce);
  EXPECT_TRUE(c.consent_required);
  EXPECT_EQ(c.subject_type, "public");
  EXPECT_TRUE(Fields(c).empty());
  c.id_token_signed_response_alg = "EdDSA";
  c.subject_type = "pairwise";
  c.sector_identifier = "https://app.example.com/sector.json";
  c.jwks = R"({"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]})";
  c.frontchannel_logout_uri = "https://app.example.com/fc?x=1";
  c.backchannel_logout_uri = "http://127.0.0.1:8080/bc";
  c.backchannel_logout_session_required = true;
  c.default_scopes = {"openid", "email"};
  c.access_token_ttl_s = 600;
  c.refresh_token_ttl_s = 86400;
  EXPECT_TRUE(Fields(c).empty());
}

TEST(ClientOidcValidation, IdTokenAlgMustBeOneTheRealmCanSign) {
  for (const char* alg : {"", "ES256", "RS256", "PS256", "EdDSA"}) {
    core::Client c = OidcClient();
    c.id_token_signed_response_alg = alg;
    EXPECT_TRUE(Fields(c).empty()) << alg;
  }
  for (const char* alg : {"none", "HS256", "es256", "RS512"}) {
    core::Client c = OidcClient();
    c.id_token_signed_response_alg = alg;
    EXPECT_EQ(Fields(c), std::vector<std::string>{"id_token_signed_response_alg"}) << alg;
  }
}

TEST(ClientOidcValidation, SubjectTypeIsPublicOrPairwise) {
  core::Client c = OidcClient();
  c.subject_type = "private";
  EXPECT_EQ(Fields(c), std::vector<std::string>{"subject_type"});
  c.subject_type = "";
  EXPECT_EQ(Fields(c), std::vector<std::string>{"subject_type"});
}

TEST(ClientOidcValidation, EndpointUrisMustBeHttpsOrLoopbackHttpWithoutFragment) {
  struct Case {
    const char* name;
    std::string core::Client::*field;
    const char* uri;
    bool ok;
  };
  const Case cases[] = {
      {"jwks_uri", &core::Client::jwks_uri, "https://app.example.com/jwks", true},
      {"jwks_uri", &core::Client::jwks_uri, "http://app.example.com/jwks", false},
      {"jwks_uri", &core::Client::jwks_uri, "/relative/jwks", false},
      {"frontchannel_logout_uri", &core::Client::frontchannel_logout_uri,
       "http://localhost:3000/logout", true},
      {"frontchannel_logout_uri", &core::Client::frontchannel_logout_uri,
       "https://app.example.com/logout#frag", false},
      {"backchannel_logout_uri", &core::Client::backchannel_logout_uri, "com.example.app:/logout",
       false},
      {"backchannel_logout_uri", &core::Client::backchannel_logout_uri,
       "HTTPS://App.Example.com/bc", true},
      {"sector_identifier", &core::Client::sector_identifier, "http://127.0.0.1/sector", false},
      {"sector_identifier", &core::Client::sector_identifier, "https://a.example/s.json", true},
  };
  for (const Case& k : cases) {
    core::Client c = OidcClient();
    c.*k.field = k.uri;
    auto got = Fields(c);
    if (k.ok) {
      EXPECT_TRUE(got.empty()) << k.name << " " << k.uri;
    } else {
      EXPECT_EQ(got, std::vector<std::string>{k.name}) << k.uri;
    }
  }
}

TEST(ClientOidcValidation, JwksMustBeAPublicJwkSet) {
  EXPECT_EQ(JwkSetProblem(R"({"keys":[]})"), "");
  EXPECT_EQ(JwkSetProblem(R"({"keys":[{"kty":"RSA","n":"x","e":"AQAB"}]})"), "");
  for (const char* bad : {"not json", "[]", R"({"key":[]})", R"({"keys":{}})", R"({"keys":[1]})",
                          R"({"keys":[{"n":"x"}]})", R"({"keys":[{"kty":"EC","d":"secret"}]})",
                          R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})"}) {
    EXPECT_NE(JwkSetProblem(bad), "") << bad;
    core::Client c = OidcClient();
    c.jwks = bad;
    EXPECT_EQ(Fields(c), std::vector<std::string>{"jwks"}) << bad;
  }
}

TEST(ClientOidcValidation, JwksAndJwksUriAreExclusive) {
  core::Client c = OidcClient();
  c.jwks = R"({"keys":[]})";
  c.jwks_uri = "https://app.example.com/jwks";
  EXPECT_EQ(Fields(c), std::vector<std::string>{"jwks"});  // RFC 7591 §2
}

TEST(ClientOidcValidation, DefaultScopesAreScopeTokensTheClientMayHave) {
  core::Client c = OidcClient();
  c.default_scopes = {"openid", "admin", "bad scope"};
  EXPECT_EQ(Fields(c), (std::vector<std::string>{"default_scopes[1]", "default_scopes[2]"}));
}

TEST(ClientOidcValidation, TokenLifetimeOverridesAreBounded) {
  core::Client c = OidcClient();
  c.access_token_ttl_s = -1;
  c.refresh_token_ttl_s = 86400 * 365 + 1;
  EXPECT_EQ(Fields(c), (std::vector<std::string>{"access_token_ttl_s", "refresh_token_ttl_s"}));
  c.access_token_ttl_s = 86401;
  c.refresh_token_ttl_s = 0;
  EXPECT_EQ(Fields(c), std::vector<std::string>{"access_token_ttl_s"});
}

}  // namespace
}  // namespace idm::realm
