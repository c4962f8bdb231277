// Admin API pieces of docs/design/015: initial access tokens (create shows the token once, list
// never shows it, delete, audit) and client_scopes in the client representation (validated).
#include "idm/realm/registration_service.h"
#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

using core::Json;

class RegistrationApiTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    if (HasFatalFailure()) return;
    registrations_ = std::make_unique<realm::RegistrationService>(*store_, *clients_, random_);
    deps_->registrations = registrations_.get();
    MakeRealm("acme");
  }
  void TearDown() override {
    deps_->registrations = nullptr;
    registrations_.reset();
    AdminApiTest::TearDown();
  }
  std::unique_ptr<realm::RegistrationService> registrations_;
};

TEST_F(RegistrationApiTest, InitialAccessTokenIsShownOnceListedWithoutItAndDeleted) {
  auto created = Admin("POST", "/realms/acme/initial-access-tokens",
                       R"({"expires_in": 600, "max_uses": 3, "description": "ci"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers.find("Cache-Control")->second, "no-store");
  Json body = Body(created);
  std::string token = body["token"];
  EXPECT_TRUE(token.starts_with("idm_iat_"));
  EXPECT_EQ(body["max_uses"], 3);
  EXPECT_EQ(body["uses"], 0);
  auto listed = Admin("GET", "/realms/acme/initial-access-tokens");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(token), std::string::npos);
  EXPECT_EQ(Body(listed)["items"].size(), 1u);
  std::string id = body["id"];
  EXPECT_EQ(Admin("DELETE", "/realms/acme/initial-access-tokens/" + id).status, 204);
  EXPECT_EQ(Admin("DELETE", "/realms/acme/initial-access-tokens/" + id).status, 404);
  auto types = AuditTypes("acme");
  EXPECT_NE(std::find(types.begin(), types.end(), "InitialAccessTokenCreated"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "InitialAccessTokenDeleted"), types.end());
}

TEST_F(RegistrationApiTest, InitialAccessTokenLimitsAreValidated) {
  auto r = Admin("POST", "/realms/acme/initial-access-tokens",
                 R"({"expires_in": 0, "max_uses": -1, "bogus": 1})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Admin("POST", "/realms/acme/initial-access-tokens", "{}").status, 201);
}

TEST_F(RegistrationApiTest, ClientScopesAreStoredValidatedAndRendered) {
  Json client = {{"client_id", "shop"},
                 {"redirect_uris", {"https://shop.acme.test/cb"}},
                 {"grant_types", {"authorization_code"}},
                 {"scopes", {"openid", "orders"}},
                 {"client_scopes",
                  {{{"name", "orders"},
                    {"mappers",
                     {{{"kind", "user_attribute"},
                       {"claim_name", "department"},
                       {"source", "dept"},
                       {"in_access_token", false}}}}}}}};
  auto created = Admin("POST", "/realms/acme/clients", client.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Body(created)["id"];
  Json got = Body(Admin("GET", "/realms/acme/clients/" + id));
  ASSERT_EQ(got["client_scopes"].size(), 1u);
  EXPECT_EQ(got["client_scopes"][0]["mappers"][0]["kind"], "user_attribute");
  EXPECT_EQ(got["client_scopes"][0]["mappers"][0]["in_access_token"], false);
  EXPECT_EQ(got["client_scopes"][0]["mappers"][0]["in_userinfo"], true);

  Json bad = client;
  bad["client_id"] = "shop2";
  bad["client_scopes"][0]["mappers"][0]["claim_name"] = "sub";
  auto refused = Admin("POST", "/realms/acme/clients", bad.dump());
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("client_scopes[0].mappers[0].claim_name"), std::string::npos)
      << refused.body;
  bad["client_scopes"] = "not-an-array";
  EXPECT_EQ(Admin("POST", "/realms/acme/clients", bad.dump()).status, 400);
}

}  // namespace
}  // namespace idm::admin::testing
