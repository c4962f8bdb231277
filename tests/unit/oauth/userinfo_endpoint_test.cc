// UserInfo (OIDC Core §5.3): bearer token in the header or the form body (RFC 6750 §2.1, §2.2),
// RFC 6750 §3 errors, claims by scope, pairwise sub and client-scope mappers.
#include "idm/oauth/access_token_minter.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/scope.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

class UserinfoTest : public OAuthTest {
 protected:
  void SetUp() override {
    OAuthTest::SetUp();
    if (HasFatalFailure()) return;
    core::User u;
    u.username = "alice";
    u.email = "alice@example.test";
    u.email_verified = true;
    u.first_name = "Alice";
    u.last_name = "Liddell";
    u.attributes = {{"phone_number", {"+82 10 1234 5678"}}, {"department", {"ops", "sec"}}};
    auto user = users_->Create(Ctx(), "acme", u, std::nullopt);
    ASSERT_TRUE(user) << user.error().detail;
    user_ = *user;
    MakeWebClient("web", "public", {});
  }

  void MakeWebClient(const std::string& client_id, const std::string& subject_type,
                     std::vector<core::ClientScope> client_scopes) {
    core::Client c;
    c.client_id = client_id;
    c.type = core::ClientType::kConfidential;
    c.grant_types = {"authorization_code"};
    c.redirect_uris = {"https://app.example.test/cb"};
    c.scopes = {"openid", "profile", "email", "phone", "orders"};
    c.subject_type = subject_type;
    c.client_scopes = std::move(client_scopes);
    auto created = clients_->Create(Ctx(), "acme", c);
    ASSERT_TRUE(created) << created.error().detail;
  }

  std::string Token(const std::string& scope, const std::string& client_id = "web",
                    const std::string& realm = "acme") {
    AccessTokenMinter minter(kPublicUrl, *keys_, random_);
    AccessTokenRequest req;
    req.subject = user_.id;
    req.client_id = client_id;
    auto parsed = ParseScope(scope);
    req.scope = parsed ? *parsed : std::vector<std::string>{};
    auto issued = minter.Mint(Realm(realm), req, clock_.NowMillis());
    EXPECT_TRUE(issued) << issued.error().detail;
    return issued ? issued->token : "";
  }

  static http::WebRequest Get(const std::string& token) {
    http::WebRequest r;
    r.method = "GET";
    r.path = "/realms/acme/protocol/openid-connect/userinfo";
    if (!token.empty()) r.headers.emplace("Authorization", "Bearer " + token);
    return r;
  }
  static http::WebRequest PostForm(const std::string& body) {
    http::WebRequest r;
    r.method = "POST";
    r.path = "/realms/acme/protocol/openid-connect/userinfo";
    r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    r.body = body;
    return r;
  }
  static std::string Challenge(const http::WebResponse& r) {
    auto it = r.headers.find("WWW-Authenticate");
    return it == r.headers.end() ? "" : it->second;
  }

  core::User user_;
};

TEST_F(UserinfoTest, BearerHeaderReturnsSubAndClaimsOfTheGrantedScopes) {
  http::WebResponse r = Serve(Get(Token("openid email")));
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["sub"], user_.id);
  EXPECT_EQ(body["email"], "alice@example.test");
  EXPECT_EQ(body["email_verified"], true);
  // profile and phone were not granted (OIDC Core §5.4): their claims stay out.
  EXPECT_FALSE(body.contains("preferred_username"));
  EXPECT_FALSE(body.contains("given_name"));
  EXPECT_FALSE(body.contains("phone_number"));
  EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");
}

TEST_F(UserinfoTest, FormBodyTokenIsAcceptedOnPost) {
  http::WebResponse r = Serve(PostForm("access_token=" + Token("openid profile phone")));
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["preferred_username"], "alice");
  EXPECT_EQ(body["given_name"], "Alice");
  EXPECT_EQ(body["phone_number"], "+82 10 1234 5678");
  EXPECT_FALSE(body.contains("email"));
}

TEST_F(UserinfoTest, TokenInHeaderAndBodyIsInvalidRequest) {
  std::string token = Token("openid");
  http::WebRequest r = PostForm("access_token=" + token);
  r.headers.emplace("Authorization", "Bearer " + token);
  http::WebResponse resp = Serve(r);
  EXPECT_EQ(resp.status, 400);
  EXPECT_NE(Challenge(resp).find("error=\"invalid_request\""), std::string::npos);
  EXPECT_EQ(Json::parse(resp.body)["error"], "invalid_request");
}

TEST_F(UserinfoTest, NoTokenIs401WithoutErrorCode) {
  http::WebResponse r = Serve(Get(""));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Challenge(r), "Bearer realm=\"acme\"");  // RFC 6750 §3.1: no error code
}

TEST_F(UserinfoTest, ExpiredTamperedAndAlgNoneTokensAreInvalidToken) {
  std::string good = Token("openid");
  std::string tampered = good;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  std::string payload = good.substr(good.find('.') + 1);
  payload = payload.substr(0, payload.find('.'));
  std::string alg_none =
      crypto::Base64UrlEncode(R"({"alg":"none","typ":"at+jwt"})") + "." + payload + ".";
  for (const std::string& t : {tampered, alg_none, std::string("not-a-jwt")}) {
    http::WebResponse r = Serve(Get(t));
    EXPECT_EQ(r.status, 401) << t;
    EXPECT_NE(Challenge(r).find("error=\"invalid_token\""), std::string::npos) << t;
  }
  clock_.Advance(std::chrono::seconds(3600));
  http::WebResponse expired = Serve(Get(good));
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(Challenge(expired).find("error=\"invalid_token\""), std::string::npos);
}

TEST_F(UserinfoTest, TokenWithoutOpenidIsInsufficientScope) {
  http::WebResponse r = Serve(Get(Token("email")));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(Challenge(r).find("error=\"insufficient_scope\""), std::string::npos);
  EXPECT_NE(Challenge(r).find("scope=\"openid\""), std::string::npos);
}

TEST_F(UserinfoTest, TokenOfAnotherRealmIsInvalidToken) {
  core::Realm other;
  other.name = "other";
  ASSERT_TRUE(realms_->Create(Ctx(), other));
  ASSERT_TRUE(keys_->EnsureKeys(Ctx(), Realm("other")));
  http::WebResponse r = Serve(Get(Token("openid", "web", "other")));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(Challenge(r).find("invalid_token"), std::string::npos);
}

TEST_F(UserinfoTest, DisabledOrDeletedUserIsInvalidToken) {
  std::string token = Token("openid");
  core::User disabled = user_;
  disabled.enabled = false;
  auto updated = users_->Update(Ctx(), "acme", user_.id, disabled, user_.version);
  ASSERT_TRUE(updated) << updated.error().detail;
  EXPECT_EQ(Serve(Get(token)).status, 401);
  ASSERT_TRUE(users_->Delete(Ctx(), "acme", user_.id));
  http::WebResponse r = Serve(Get(token));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(Challenge(r).find("invalid_token"), std::string::npos);
}

// The token and the subject are remembered after a first answer (designs 021, 025); a change made
// through this node reaches the very next request.
TEST_F(UserinfoTest, AfterAnAnswerAUserDisabledOrRenamedIsSeenByTheNextRequest) {
  std::string token = Token("openid profile");
  ASSERT_EQ(Serve(Get(token)).status, 200);
  auto user = users_->Get("acme", user_.id);
  ASSERT_TRUE(user);
  core::User renamed = *user;
  renamed.first_name = "Alicia";
  auto updated = users_->Update(Ctx(), "acme", user_.id, renamed, user->version);
  ASSERT_TRUE(updated) << updated.error().detail;
  http::WebResponse r = Serve(Get(token));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(core::Json::parse(r.body).value("given_name", ""), "Alicia");
  core::User disabled = *updated;
  disabled.enabled = false;
  ASSERT_TRUE(users_->Update(Ctx(), "acme", user_.id, disabled, updated->version));
  EXPECT_EQ(Serve(Get(token)).status, 401);
}

TEST_F(UserinfoTest, AfterAnAnswerADisabledClientIsSeenByTheNextRequest) {
  std::string token = Token("openid");
  ASSERT_EQ(Serve(Get(token)).status, 200);
  auto client = clients_->GetByClientId("acme", "web");
  ASSERT_TRUE(client) << client.error().detail;
  core::Client disabled = *client;
  disabled.enabled = false;
  ASSERT_TRUE(clients_->Update(Ctx(), "acme", client->id, disabled, client->version));
  http::WebResponse r = Serve(Get(token));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(Challenge(r).find("invalid_token"), std::string::npos);
}

TEST_F(UserinfoTest, PairwiseClientSeesPairwiseSub) {
  MakeWebClient("pw", "pairwise", {});
  http::WebResponse r = Serve(Get(Token("openid", "pw")));
  ASSERT_EQ(r.status, 200) << r.body;
  std::string sub = Json::parse(r.body)["sub"];
  EXPECT_NE(sub, user_.id);
  // OAuthDeps of the fixture carry an empty pairwise secret; the sector is the redirect host.
  EXPECT_EQ(sub, PairwiseSubject("", "app.example.test", user_.id));
}

TEST_F(UserinfoTest, MappersOfGrantedClientScopesAddClaimsMeantForUserinfo) {
  core::ClaimMapper dept;
  dept.kind = core::ClaimMapperKind::kUserAttribute;
  dept.claim_name = "org.departments";
  dept.source = "department";
  dept.multivalued = true;
  core::ClaimMapper hidden;
  hidden.kind = core::ClaimMapperKind::kFixedValue;
  hidden.claim_name = "token_only";
  hidden.source = "x";
  hidden.in_userinfo = false;
  MakeWebClient("shop", "public", {{"orders", "Orders", {dept, hidden}}});
  http::WebResponse with = Serve(Get(Token("openid orders", "shop")));
  ASSERT_EQ(with.status, 200) << with.body;
  Json body = Json::parse(with.body);
  EXPECT_EQ(body["org"]["departments"], Json::array({"ops", "sec"}));
  EXPECT_FALSE(body.contains("token_only"));
  Json without = Json::parse(Serve(Get(Token("openid", "shop"))).body);
  EXPECT_FALSE(without.contains("org"));  // the scope was not granted
}

TEST_F(UserinfoTest, RoleAndGroupMappersReadTheUsersEffectiveRolesAndGroupPaths) {
  // /staff/ops with alice in ops, and the realm role "auditor" granted to alice.
  core::Group staff, ops;
  staff.id = core::NewUuid(random_);
  staff.realm_id = Realm().id;
  staff.name = "staff";
  ops.id = core::NewUuid(random_);
  ops.realm_id = staff.realm_id;
  ops.parent_id = staff.id;
  ops.name = "ops";
  {
    auto tx = store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->groups().Create(staff));
    ASSERT_TRUE((*tx)->groups().Create(ops));
    ASSERT_TRUE((*tx)->groups().AddMember(staff.realm_id, ops.id, user_.id));
    ASSERT_TRUE((*tx)->Commit());
  }
  core::Role auditor;
  auditor.name = "auditor";
  auto role = roles_->Create(Ctx(), "acme", auditor);
  ASSERT_TRUE(role) << role.error().detail;
  ASSERT_TRUE(roles_->Grant(Ctx(), "acme", core::RoleHolderKind::kUser, user_.id, role->id));
  core::ClaimMapper groups;
  groups.kind = core::ClaimMapperKind::kGroups;
  groups.claim_name = "groups";
  core::ClaimMapper roles;
  roles.kind = core::ClaimMapperKind::kRealmRoles;
  roles.claim_name = "realm_access.roles";
  MakeWebClient("hr", "public", {{"orders", "", {groups, roles}}});
  http::WebResponse r = Serve(Get(Token("openid orders", "hr")));
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["groups"], Json::array({"/staff/ops"}));
  EXPECT_EQ(body["realm_access"]["roles"], Json::array({"auditor"}));
}

}  // namespace
}  // namespace idm::oauth::testing
