// UserClaims (user_claims.h): standard claims by scope per target, client-scope mappers only for
// granted scopes and only for their targets; the JSON form of client scopes (core) and their
// validation (realm).
#include "idm/oauth/user_claims.h"

#include <gtest/gtest.h>

#include "idm/core/client_scopes_json.h"
#include "idm/realm/client_validation.h"

namespace idm::oauth {
namespace {

using core::Json;

core::ClaimMapper MakeMapper(core::ClaimMapperKind kind, std::string claim, std::string source = "") {
  core::ClaimMapper m;
  m.kind = kind;
  m.claim_name = std::move(claim);
  m.source = std::move(source);
  return m;
}

core::Client ShopClient() {
  core::Client c;
  c.client_id = "shop";
  c.type = core::ClientType::kConfidential;
  c.grant_types = {"authorization_code"};
  c.redirect_uris = {"https://shop.example/cb"};
  c.scopes = {"openid", "profile", "orders", "audit"};
  core::ClaimMapper roles = MakeMapper(core::ClaimMapperKind::kRealmRoles, "roles");
  roles.in_id_token = false;
  core::ClaimMapper tier = MakeMapper(core::ClaimMapperKind::kFixedValue, "tier", "gold");
  tier.in_access_token = false;
  c.client_scopes = {{"orders", "", {roles, tier}},
                     {"audit", "", {MakeMapper(core::ClaimMapperKind::kGroups, "groups")}}};
  return c;
}

core::User AliceUser() {
  core::User u;
  u.id = "0b7e7f4e-2c1a-4c55-9a0e-5d2d0c1e3f10";
  u.username = "alice";
  u.first_name = "Alice";
  return u;
}

TEST(UserClaims, StandardClaimsGoToIdTokenAndUserinfoButNotAccessToken) {
  core::Client c = ShopClient();
  core::User u = AliceUser();
  std::vector<std::string> scopes = {"openid", "profile"};
  EXPECT_EQ(UserClaims(c, u, scopes, {}, ClaimTarget::kUserinfo)["preferred_username"], "alice");
  EXPECT_EQ(UserClaims(c, u, scopes, {}, ClaimTarget::kIdToken)["given_name"], "Alice");
  EXPECT_EQ(UserClaims(c, u, scopes, {}, ClaimTarget::kAccessToken), Json::object());
}

TEST(UserClaims, MappersApplyOnlyForGrantedScopesAndTheirTargets) {
  core::Client c = ShopClient();
  core::User u = AliceUser();
  ClaimSources s;
  s.realm_roles = {"buyer"};
  s.group_paths = {"/staff"};
  std::vector<std::string> scopes = {"openid", "orders"};
  Json at = UserClaims(c, u, scopes, s, ClaimTarget::kAccessToken);
  EXPECT_EQ(at["roles"], Json::array({"buyer"}));
  EXPECT_FALSE(at.contains("tier"));    // in_access_token false
  EXPECT_FALSE(at.contains("groups"));  // audit not granted
  Json id = UserClaims(c, u, scopes, s, ClaimTarget::kIdToken);
  EXPECT_EQ(id["tier"], "gold");
  EXPECT_FALSE(id.contains("roles"));  // in_id_token false
  EXPECT_FALSE(UserClaims(c, u, {"openid"}, s, ClaimTarget::kUserinfo).contains("tier"));
}

TEST(UserClaims, NeedsRolesOrGroupsOnlyWhenAGrantedScopeMapsThem) {
  core::Client c = ShopClient();
  EXPECT_TRUE(NeedsRolesOrGroups(c, {"orders"}));
  EXPECT_TRUE(NeedsRolesOrGroups(c, {"audit"}));
  EXPECT_FALSE(NeedsRolesOrGroups(c, {"openid", "profile"}));
}

TEST(ClientScopesJson, RoundTripsEveryField) {
  core::Client c = ShopClient();
  c.client_scopes[0].mappers[0].multivalued = true;
  c.client_scopes[0].mappers[0].client_id = "billing";
  Json j = core::ClientScopesToJson(c.client_scopes);
  auto back = core::ClientScopesFromJson(j);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(core::ClientScopesToJson(*back), j);
  EXPECT_EQ(j[0]["mappers"][0]["kind"], "realm_roles");
  EXPECT_EQ((*back)[0].mappers[1].in_access_token, false);
}

TEST(ClientScopesJson, RefusesMalformedDocumentsNamingThePath) {
  struct Case {
    const char* name;
    const char* json;
    const char* path;
  } cases[] = {
      {"not an array", R"({})", ""},
      {"scope without name", R"([{"mappers": []}])", "[0].name"},
      {"unknown kind", R"([{"name": "a", "mappers": [{"kind": "x", "claim_name": "c"}]}])",
       "[0].mappers[0].kind"},
      {"unknown field", R"([{"name": "a", "extra": 1}])", "[0].extra"},
      {"wrong type", R"([{"name": "a", "mappers": [{"kind": "groups", "claim_name": "g",
        "in_userinfo": "yes"}]}])",
       "[0].mappers[0].in_userinfo"},
  };
  for (const Case& c : cases) {
    auto r = core::ClientScopesFromJson(Json::parse(c.json));
    ASSERT_FALSE(r) << c.name;
    EXPECT_NE(r.error().find(c.path), std::string::npos) << c.name << ": " << r.error();
  }
}

TEST(ClientScopeValidation, AcceptsAWellFormedClient) {
  EXPECT_TRUE(realm::ValidateClient(ShopClient()).empty());
}

TEST(ClientScopeValidation, RefusesBadScopesAndMappers) {
  struct Case {
    const char* name;
    void (*change)(core::Client&);
    const char* field;
  } cases[] = {
      {"standard scope", [](core::Client& c) { c.client_scopes[0].name = "profile"; },
       "client_scopes[0].name"},
      {"not in scopes",
       [](core::Client& c) {
         c.scopes = {"openid", "audit"};
       },
       "client_scopes[0].name"},
      {"duplicate", [](core::Client& c) { c.client_scopes[1].name = "orders"; },
       "client_scopes[1].name"},
      {"reserved claim", [](core::Client& c) { c.client_scopes[0].mappers[0].claim_name = "sub"; },
       "client_scopes[0].mappers[0].claim_name"},
      {"reserved nested",
       [](core::Client& c) { c.client_scopes[0].mappers[0].claim_name = "aud.x"; },
       "client_scopes[0].mappers[0].claim_name"},
      {"empty segment", [](core::Client& c) { c.client_scopes[0].mappers[0].claim_name = "a..b"; },
       "client_scopes[0].mappers[0].claim_name"},
      {"fixed without value", [](core::Client& c) { c.client_scopes[0].mappers[1].source = ""; },
       "client_scopes[0].mappers[1].source"},
      {"client roles without client",
       [](core::Client& c) {
         c.client_scopes[0].mappers[0].kind = core::ClaimMapperKind::kClientRoles;
       },
       "client_scopes[0].mappers[0].client_id"},
      {"no target",
       [](core::Client& c) {
         core::ClaimMapper& m = c.client_scopes[1].mappers[0];
         m.in_id_token = m.in_access_token = m.in_userinfo = false;
       },
       "client_scopes[1].mappers[0]"},
  };
  for (const Case& c : cases) {
    core::Client client = ShopClient();
    c.change(client);
    auto v = realm::ValidateClient(client);
    ASSERT_EQ(v.size(), 1u) << c.name;
    EXPECT_EQ(v[0].field, c.field) << c.name << ": " << v[0].message;
  }
}

}  // namespace
}  // namespace idm::oauth
