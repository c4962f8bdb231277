// /admin/api/v1/realms/{realm}/clients: registration, secrets shown once, validation, roles.
#include "tests/unit/admin/admin_api_fixture.h"

#include <set>

#include "idm/crypto/secret.h"

namespace idm::admin::testing {
namespace {

class ClientsApiTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    MakeRealm("acme");
  }

  core::Json MakeClient(const std::string& client_id) {
    auto r = Admin("POST", "/realms/acme/clients",
                   core::Json{{"client_id", client_id},
                              {"redirect_uris", {"https://app.acme.test/cb"}},
                              {"grant_types", {"authorization_code", "client_credentials"}}}
                       .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r);
  }
};

TEST_F(ClientsApiTest, CreateReturnsTheSecretOnceAndNeverAgain) {
  auto r = Admin("POST", "/realms/acme/clients",
                 R"({"client_id":"web","redirect_uris":["https://web.acme.test/cb"],
                     "grant_types":["authorization_code"]})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");
  core::Json created = Body(r);
  const std::string secret = created["client_secret"];
  EXPECT_EQ(secret.rfind(crypto::kClientSecretPrefix, 0), 0u);
  EXPECT_TRUE(clients_->Authenticate("acme", "web", secret).ok());

  auto got = Admin("GET", "/realms/acme/clients/" + created["id"].get<std::string>());
  ASSERT_EQ(got.status, 200);
  EXPECT_FALSE(Body(got).contains("client_secret"));
  EXPECT_EQ(got.body.find(secret), std::string::npos);
  EXPECT_EQ(got.body.find("sha256:"), std::string::npos) << "nor its hash";
}

TEST_F(ClientsApiTest, PublicClientGetsNoSecret) {
  auto r = Admin("POST", "/realms/acme/clients",
                 R"({"client_id":"mobile","type":"public",
                     "redirect_uris":["com.acme.app:/oauth2redirect"],
                     "grant_types":["authorization_code"]})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(Body(r).contains("client_secret"));
  EXPECT_EQ(Body(r)["token_endpoint_auth_method"], "none");
}

TEST_F(ClientsApiTest, InvalidRedirectUriIs400NamingTheField) {
  auto r = Admin("POST", "/realms/acme/clients",
                 R"({"client_id":"web","redirect_uris":["https://ok.test/cb","http://evil.test/cb"],
                     "grant_types":["authorization_code"]})");
  ASSERT_EQ(r.status, 400) << r.body;
  ASSERT_FALSE(Body(r)["errors"].empty());
  EXPECT_EQ(Body(r)["errors"][0]["field"], "redirect_uris[1]");
}

TEST_F(ClientsApiTest, BadClientTypeIs400) {
  auto r = Admin("POST", "/realms/acme/clients", R"({"client_id":"web","type":"secret"})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["errors"][0]["field"], "type");
}

TEST_F(ClientsApiTest, DuplicateClientIdIs409) {
  MakeClient("svc");
  auto dup = Admin("POST", "/realms/acme/clients",
                   R"({"client_id":"svc","grant_types":["client_credentials"]})");
  EXPECT_EQ(dup.status, 409) << dup.body;
}

TEST_F(ClientsApiTest, ListsSearchesUpdatesAndDeletesClients) {
  MakeClient("svc-a");
  MakeClient("svc-b");
  const std::string id = MakeClient("web")["id"];
  auto list = Body(Admin("GET", "/realms/acme/clients?q=svc&limit=1"));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["client_id"], "svc-a");
  auto next = Body(Admin("GET", "/realms/acme/clients?q=svc&limit=1&cursor=" +
                                    list["next_cursor"].get<std::string>()));
  EXPECT_EQ(next["items"][0]["client_id"], "svc-b");

  auto patch = Admin("PATCH", "/realms/acme/clients/" + id, R"({"name":"Web app"})");
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(Body(patch)["name"], "Web app");
  EXPECT_EQ(Body(patch)["redirect_uris"][0], "https://app.acme.test/cb");
  auto bad = Admin("PATCH", "/realms/acme/clients/" + id,
                   R"({"redirect_uris":["https://x.test/cb#frag"]})");
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["errors"][0]["field"], "redirect_uris[0]");
  auto put = Admin("PUT", "/realms/acme/clients/" + id,
                   R"({"client_id":"web","grant_types":["client_credentials"]})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_TRUE(Body(put)["redirect_uris"].empty());
  EXPECT_EQ(Admin("DELETE", "/realms/acme/clients/" + id, "", {{"If-Match", "W/\"1\""}}).status,
            412);
  EXPECT_EQ(Admin("DELETE", "/realms/acme/clients/" + id).status, 204);
  EXPECT_EQ(Admin("GET", "/realms/acme/clients/" + id).status, 404);
}

TEST_F(ClientsApiTest, OidcSettingsHaveSecureDefaultsAndRoundTrip) {
  core::Json created = MakeClient("web");
  EXPECT_EQ(created["require_pkce"], true);
  EXPECT_EQ(created["consent_required"], true);
  EXPECT_EQ(created["subject_type"], "public");
  EXPECT_EQ(created["id_token_signed_response_alg"], "");
  EXPECT_TRUE(created["jwks"].is_null());
  EXPECT_EQ(created["access_token_ttl_s"], 0);
  const std::string id = created["id"];
  auto patch = Admin("PATCH", "/realms/acme/clients/" + id, R"({
      "consent_required": false, "subject_type": "pairwise",
      "id_token_signed_response_alg": "PS256",
      "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "x", "y": "y"}]},
      "backchannel_logout_uri": "https://app.acme.test/bc",
      "backchannel_logout_session_required": true,
      "default_scopes": [], "access_token_ttl_s": 120})");
  ASSERT_EQ(patch.status, 200) << patch.body;
  auto got = Body(Admin("GET", "/realms/acme/clients/" + id));
  EXPECT_EQ(got["consent_required"], false);
  EXPECT_EQ(got["subject_type"], "pairwise");
  EXPECT_EQ(got["id_token_signed_response_alg"], "PS256");
  EXPECT_EQ(got["jwks"]["keys"][0]["kty"], "EC");
  EXPECT_EQ(got["backchannel_logout_uri"], "https://app.acme.test/bc");
  EXPECT_EQ(got["backchannel_logout_session_required"], true);
  EXPECT_EQ(got["access_token_ttl_s"], 120);
  EXPECT_EQ(got["require_pkce"], true) << "untouched by the patch";
  auto cleared = Admin("PATCH", "/realms/acme/clients/" + id, R"({"jwks": null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(Body(cleared)["jwks"].is_null());
}

TEST_F(ClientsApiTest, InvalidOidcSettingsAre400NamingEachField) {
  const std::string id = MakeClient("web")["id"];
  auto r = Admin("PATCH", "/realms/acme/clients/" + id, R"({
      "subject_type": "secret", "id_token_signed_response_alg": "none",
      "frontchannel_logout_uri": "http://rp.example/logout",
      "jwks": "not an object"})");
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> fields;
  const core::Json problem = Body(r);
  for (const auto& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_TRUE(fields.count("jwks")) << r.body;
  auto r2 = Admin("PATCH", "/realms/acme/clients/" + id, R"({
      "subject_type": "secret", "id_token_signed_response_alg": "none",
      "frontchannel_logout_uri": "http://rp.example/logout",
      "jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}})");
  ASSERT_EQ(r2.status, 400) << r2.body;
  fields.clear();
  const core::Json problem2 = Body(r2);
  for (const auto& e : problem2["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"subject_type", "id_token_signed_response_alg",
                                           "frontchannel_logout_uri", "jwks"}))
      << r2.body;
}

TEST_F(ClientsApiTest, RegeneratesTheSecret) {
  core::Json client = MakeClient("svc");
  const std::string old_secret = client["client_secret"];
  auto r = Admin("POST", "/realms/acme/clients/" + client["id"].get<std::string>() + "/secret");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string new_secret = Body(r)["client_secret"];
  EXPECT_NE(new_secret, old_secret);
  EXPECT_FALSE(clients_->Authenticate("acme", "svc", old_secret).ok());
  EXPECT_TRUE(clients_->Authenticate("acme", "svc", new_secret).ok());
}

TEST_F(ClientsApiTest, CreatesAndListsClientRoles) {
  const std::string id = MakeClient("svc")["id"];
  auto created = Admin("POST", "/realms/acme/clients/" + id + "/roles", R"({"name":"reader"})");
  ASSERT_EQ(created.status, 201) << created.body;
  core::Json role = Body(created);
  EXPECT_EQ(role["client_id"], id);
  EXPECT_EQ(created.headers.find("Location")->second,
            "/admin/api/v1/realms/acme/roles/" + role["id"].get<std::string>());
  auto list = Body(Admin("GET", "/realms/acme/clients/" + id + "/roles"));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["name"], "reader");
  EXPECT_TRUE(Body(Admin("GET", "/realms/acme/roles"))["items"].empty())
      << "client roles are not realm roles";
  EXPECT_EQ(Admin("GET", "/realms/acme/clients/nope/roles").status, 404);
}

}  // namespace
}  // namespace idm::admin::testing
