// OIDC Discovery §4 / RFC 8414 §3 metadata and the RFC 7517 JWKS endpoint.
#include "idm/oauth/discovery_endpoint.h"

#include <gtest/gtest.h>

#include "idm/core/json.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

class DiscoveryTest : public OAuthTest {
 protected:
  http::WebResponse Get(const std::string& path) {
    http::WebRequest r;
    r.method = "GET";
    r.path = path;
    return Serve(r);
  }
  static std::string Header(const http::WebResponse& r, const char* name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? "" : it->second;
  }
};

TEST_F(DiscoveryTest, OpenIdConfigurationAdvertisesWhatExists) {
  http::WebResponse r = Get("/realms/acme/.well-known/openid-configuration");
  ASSERT_EQ(r.status, 200) << r.body;
  Json d = Json::parse(r.body);
  std::string issuer = std::string(kPublicUrl) + "/realms/acme";
  EXPECT_EQ(d["issuer"], issuer);
  EXPECT_EQ(d["token_endpoint"], issuer + "/protocol/openid-connect/token");
  EXPECT_EQ(d["jwks_uri"], issuer + "/protocol/openid-connect/certs");
  EXPECT_EQ(d["grant_types_supported"], Json::array({"client_credentials"}));
  EXPECT_EQ(d["token_endpoint_auth_methods_supported"],
            Json::array({"client_secret_basic", "client_secret_post", "private_key_jwt", "none"}));
  EXPECT_EQ(d["token_endpoint_auth_signing_alg_values_supported"],
            Json::array({"ES256", "RS256", "PS256", "EdDSA"}));
  EXPECT_EQ(d["introspection_endpoint"], issuer + "/protocol/openid-connect/token/introspect");
  EXPECT_EQ(d["introspection_endpoint_auth_methods_supported"],
            Json::array({"client_secret_basic", "client_secret_post", "private_key_jwt"}));
  EXPECT_EQ(d["revocation_endpoint"], issuer + "/protocol/openid-connect/revoke");
  EXPECT_EQ(d["id_token_signing_alg_values_supported"], Json::array({"ES256", "RS256"}));
  EXPECT_EQ(d["response_types_supported"], Json::array());
  EXPECT_FALSE(d.contains("authorization_endpoint"));
  EXPECT_EQ(Header(r, "Cache-Control"), "public, max-age=300");
}

TEST_F(DiscoveryTest, Rfc8414PathsServeTheSameDocument) {
  std::string oidc = Get("/realms/acme/.well-known/openid-configuration").body;
  EXPECT_EQ(Get("/.well-known/oauth-authorization-server/realms/acme").body, oidc);
  EXPECT_EQ(Get("/realms/acme/.well-known/oauth-authorization-server").body, oidc);
}

TEST_F(DiscoveryTest, UnknownOrDisabledRealmIs404Json) {
  http::WebResponse r = Get("/realms/nowhere/.well-known/openid-configuration");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json::parse(r.body)["error"], "not_found");
  EXPECT_EQ(Get("/realms/nowhere/protocol/openid-connect/certs").status, 404);
  core::Realm acme = Realm();
  core::Realm changes = acme;
  changes.enabled = false;
  ASSERT_TRUE(realms_->Update(Ctx(), "acme", changes, acme.version));
  EXPECT_EQ(Get("/realms/acme/.well-known/openid-configuration").status, 404);
  EXPECT_EQ(Get("/realms/acme/protocol/openid-connect/certs").status, 404);
}

TEST_F(DiscoveryTest, DocumentIsRebuiltWhenTheRealmChanges) {
  Get("/realms/acme/.well-known/openid-configuration");  // cached
  core::Realm acme = Realm();
  core::Realm changes = acme;
  changes.settings.default_signing_alg = "RS256";
  ASSERT_TRUE(realms_->Update(Ctx(), "acme", changes, acme.version));
  Json d = Json::parse(Get("/realms/acme/.well-known/openid-configuration").body);
  EXPECT_EQ(d["id_token_signing_alg_values_supported"], Json::array({"RS256"}));
}

TEST_F(DiscoveryTest, JwksServesPublicKeysWithShortCaching) {
  http::WebResponse r = Get("/realms/acme/protocol/openid-connect/certs");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "Cache-Control"), "public, max-age=60");
  Json keys = Json::parse(r.body)["keys"];
  ASSERT_EQ(keys.size(), 4u);
  for (const Json& k : keys) {
    EXPECT_EQ(k["use"], "sig");
    EXPECT_FALSE(k.contains("d"));
  }
}

}  // namespace
}  // namespace idm::oauth::testing
