// Authentication (RFC 6750) and delegated authorization of the admin API.
#include <chrono>

#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

TEST_F(AdminApiTest, MissingTokenIs401ProblemWithBearerChallenge) {
  auto r = Call("GET", "/realms");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Header(r, "Content-Type"), "application/problem+json");
  EXPECT_EQ(Header(r, "WWW-Authenticate"), "Bearer realm=\"idm-admin\"");
  EXPECT_EQ(Body(r)["instance"], "req-1");
}

TEST_F(AdminApiTest, NonBearerAuthorizationIs401InvalidToken) {
  auto r = Call("GET", "/realms", "", "", {{"Authorization", "Basic YWRtaW46YWRtaW4="}});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(Header(r, "WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
}

TEST_F(AdminApiTest, GarbageAndTamperedTokensAre401InvalidToken) {
  std::string tampered = admin_token_;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& token : {std::string("not.a.jwt"), tampered}) {
    auto r = Call("GET", "/realms", "", token);
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_NE(Header(r, "WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
    EXPECT_EQ(r.body.find(token), std::string::npos) << "the token is never echoed";
  }
}

TEST_F(AdminApiTest, ExpiredTokenIs401) {
  // Past the realm's access-token lifetime (300 s) and the verifier's 30 s leeway.
  clock_.Advance(std::chrono::seconds(300 + 31));
  auto r = Call("GET", "/realms", "", admin_token_);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(Header(r, "WWW-Authenticate").find("invalid_token"), std::string::npos);
}

TEST_F(AdminApiTest, MasterTokenWithoutAdminRoleIs403) {
  auto r = Call("GET", "/realms", "", TokenFor("master", {"offline_access"}));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Body(r)["status"], 403);
}

TEST_F(AdminApiTest, RealmAdminOfAnotherRealmIs403) {
  MakeRealm("acme");
  MakeRealm("globex");
  const std::string acme_admin = TokenFor("acme", {"realm-admin"});
  EXPECT_EQ(Call("GET", "/realms/globex/users", "", acme_admin).status, 403);
  EXPECT_EQ(Call("GET", "/realms/globex", "", acme_admin).status, 403);
  EXPECT_EQ(Call("GET", "/realms/master/users", "", acme_admin).status, 403);
  // Not even an existence oracle: an unknown realm is 403 too.
  EXPECT_EQ(Call("GET", "/realms/nope/users", "", acme_admin).status, 403);
}

TEST_F(AdminApiTest, RealmAdminManagesItsOwnRealmButNeverCreatesOrDeletesRealms) {
  MakeRealm("acme");
  const std::string acme_admin = TokenFor("acme", {"realm-admin"});
  auto created = Call("POST", "/realms/acme/users", R"({"username":"wile"})", acme_admin);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Call("GET", "/realms/acme", "", acme_admin).status, 200);
  EXPECT_EQ(Call("POST", "/realms", R"({"name":"mine"})", acme_admin).status, 403);
  EXPECT_EQ(Call("DELETE", "/realms/acme", "", acme_admin).status, 403);
}

TEST_F(AdminApiTest, AdminRoleOutsideMasterIsNotAMasterAdmin) {
  MakeRealm("acme");
  MakeRealm("globex");
  const std::string acme_admin_role = TokenFor("acme", {"admin"});
  EXPECT_EQ(Call("GET", "/realms/globex", "", acme_admin_role).status, 403);
  EXPECT_EQ(Call("POST", "/realms", R"({"name":"x1"})", acme_admin_role).status, 403);
}

TEST_F(AdminApiTest, RealmListShowsARealmAdminOnlyItsOwnRealm) {
  MakeRealm("acme");
  MakeRealm("globex");
  auto all = Body(Admin("GET", "/realms"));
  EXPECT_EQ(all["items"].size(), 3u);
  auto mine = Body(Call("GET", "/realms", "", TokenFor("acme", {"realm-admin"})));
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["name"], "acme");
}

TEST_F(AdminApiTest, MutationsAreAuditedWithTheCallerRequestIdAndAddress) {
  MakeRealm("acme");
  auto r = Call("POST", "/realms/acme/users", R"({"username":"road"})",
                TokenFor("master", {"admin"}, "sub-123"));
  ASSERT_EQ(r.status, 201);
  auto events = audit_->List("acme", 0, 1000);
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  const core::AuditEvent& last = events->back();
  EXPECT_EQ(last.type, "UserCreated");
  EXPECT_EQ(last.actor, "user:sub-123");
  EXPECT_EQ(last.client_ip, "192.0.2.10");
  EXPECT_EQ(last.request_id, "req-1");
}

TEST_F(AdminApiTest, ClientActingForItselfIsAuditedAsClient) {
  MakeRealm("acme");
  auto token = TokenFor("master", {"admin"}, "ops-bot", "ops-bot");
  ASSERT_EQ(Call("POST", "/realms/acme/roles", R"({"name":"viewer"})", token).status, 201);
  auto events = audit_->List("acme", 0, 1000);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().actor, "client:ops-bot");
}

}  // namespace
}  // namespace idm::admin::testing
