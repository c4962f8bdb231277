// Discovery metadata that the caller enables (OIDC Discovery §3, RFC 8414 §2, RFC 9207 §3): only
// what the composition root says exists is advertised, and the authorization endpoint's values
// match what authorization_request.h enforces.
#include <gtest/gtest.h>

#include "idm/core/json.h"
#include "idm/oauth/authorization_request.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/discovery_endpoint.h"
#include "idm/oauth/pkce.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth {
namespace {

using core::Json;

constexpr const char* kUrl = "https://id.example.test";

core::Realm Acme() {
  core::Realm r;
  r.name = "acme";
  r.settings.default_signing_alg = "ES256";
  return r;
}

TEST(DiscoveryOptions, DefaultAdvertisesNoAuthorizationEndpoint) {
  Json d = DiscoveryDocument(kUrl, Acme());
  EXPECT_FALSE(d.contains("authorization_endpoint"));
  EXPECT_FALSE(d.contains("code_challenge_methods_supported"));
  EXPECT_FALSE(d.contains("authorization_response_iss_parameter_supported"));
  EXPECT_FALSE(d.contains("userinfo_endpoint"));
  EXPECT_FALSE(d.contains("claims_supported"));
  EXPECT_EQ(d["response_types_supported"], Json::array());
  EXPECT_EQ(d["subject_types_supported"], Json::array({"public"}));
}

TEST(DiscoveryOptions, AuthorizationEndpointAdvertisesCodeS256IssAndPrompts) {
  DiscoveryOptions o;
  o.authorization_endpoint = true;
  Json d = DiscoveryDocument(kUrl, Acme(), o);
  std::string issuer = std::string(kUrl) + "/realms/acme";
  EXPECT_EQ(d["authorization_endpoint"], issuer + "/protocol/openid-connect/auth");
  EXPECT_EQ(d["response_types_supported"], Json::array({"code"}));
  EXPECT_EQ(d["response_modes_supported"], Json::array({"query", "form_post"}));
  EXPECT_EQ(d["code_challenge_methods_supported"], Json::array({"S256"}));
  EXPECT_EQ(d["authorization_response_iss_parameter_supported"], true);
  EXPECT_EQ(d["prompt_values_supported"],
            Json::array({"none", "login", "consent", "select_account"}));
  EXPECT_EQ(d["request_parameter_supported"], false);
  EXPECT_EQ(d["request_uri_parameter_supported"], false);
  EXPECT_EQ(d["grant_types_supported"], Json::array({"client_credentials", "authorization_code", "refresh_token"}));
}

TEST(DiscoveryOptions, AdvertisedValuesAreAcceptedByTheRequestChecks) {
  DiscoveryOptions o;
  o.authorization_endpoint = true;
  Json d = DiscoveryDocument(kUrl, Acme(), o);
  core::Client client;
  client.client_id = "web";
  client.redirect_uris = {"https://app.example/cb"};
  client.grant_types = {"authorization_code"};
  client.scopes = {"openid"};
  std::string challenge = S256Challenge(std::string(43, 'a'));
  for (const Json& m : d["response_modes_supported"]) {
    for (const Json& pr : d["prompt_values_supported"]) {
      const std::string mode = m.get<std::string>();
      const std::string prompt = pr.get<std::string>();
      http::Params p = {
          {"client_id", "web"},
          {"redirect_uri", "https://app.example/cb"},
          {"response_type", d["response_types_supported"][0].get<std::string>()},
          {"response_mode", mode},
          {"prompt", prompt},
          {"scope", "openid"},
          {"code_challenge", challenge},
          {"code_challenge_method", d["code_challenge_methods_supported"][0].get<std::string>()}};
      auto r = ParseAuthorizationRequest(p, client, true);
      EXPECT_TRUE(r) << mode << " " << prompt << ": " << r.error().description;
    }
  }
}

TEST(DiscoveryOptions, CallerSuppliesUserinfoClaimsSubjectTypesAndAlgs) {
  DiscoveryOptions o;
  o.userinfo_endpoint = true;
  o.claims_supported = StandardClaimNames();
  o.subject_types_supported = {"public", "pairwise"};
  o.extra_id_token_signing_algs = {"EdDSA", "RS256"};
  Json d = DiscoveryDocument(kUrl, Acme(), o);
  EXPECT_EQ(d["userinfo_endpoint"],
            std::string(kUrl) + "/realms/acme/protocol/openid-connect/userinfo");
  EXPECT_EQ(d["claims_supported"], Json(StandardClaimNames()));
  EXPECT_EQ(d["subject_types_supported"], Json::array({"public", "pairwise"}));
  EXPECT_EQ(d["id_token_signing_alg_values_supported"], Json::array({"ES256", "RS256", "EdDSA"}));
}

}  // namespace
}  // namespace idm::oauth

namespace idm::oauth::testing {
namespace {

class DiscoveryOptionsEndpointTest : public OAuthTest {};

TEST_F(DiscoveryOptionsEndpointTest, EndpointServesTheDocumentOfItsOptions) {
  DiscoveryOptions o;
  o.authorization_endpoint = true;
  DiscoveryEndpoint endpoint(kPublicUrl, *realms_, o);
  http::WebRequest r;
  r.method = "GET";
  r.path = "/realms/acme/.well-known/oauth-authorization-server";
  r.path_params["realm"] = "acme";
  http::WebResponse first = endpoint.Handle(r);
  ASSERT_EQ(first.status, 200) << first.body;
  core::Json d = core::Json::parse(first.body);
  EXPECT_EQ(d["code_challenge_methods_supported"], core::Json::array({"S256"}));
  EXPECT_EQ(d["authorization_response_iss_parameter_supported"], true);
  EXPECT_EQ(first.body, DiscoveryDocument(kPublicUrl, Realm(), o).dump());
  EXPECT_EQ(endpoint.Handle(r).body, first.body);
}

}  // namespace
}  // namespace idm::oauth::testing
