// The token endpoint's user grants, introspection and revocation over the real `idm` binary, on
// SQLite and (with IDM_TEST_PG_URL) PostgreSQL. Codes and the SSO session are inserted straight
// into the server's store, as the authorization endpoint would (docs/design/014).
#include <gtest/gtest.h>
#include <signal.h>

#include "idm/core/oidc_model.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/secret.h"
#include "idm/crypto/secure_random.h"
#include "idm/store/store.h"
#include "tests/integration/browser_client.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

using core::Json;

constexpr char kAppRedirect[] = "https://app.example.test/cb";
constexpr char kRedirectEncoded[] = "https%3A%2F%2Fapp.example.test%2Fcb";

class TokenGrants : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
    server_ = std::make_unique<ServerProcess>(env_->dir(), env_->env());
    ASSERT_TRUE(server_->Start()) << server_->Output();
    client_ = std::make_unique<http::Client>(server_->base_url());
    std::string admin = AdminToken(*client_);
    ASSERT_FALSE(admin.empty());
    auto realm = PostJson(*client_, "/admin/api/v1/realms", {{"name", "acme"}}, admin);
    ASSERT_TRUE(realm);
    ASSERT_EQ(realm->status, 201) << realm->body;
    realm_id_ = Json::parse(realm->body)["id"];
    auto user =
        PostJson(*client_, "/admin/api/v1/realms/acme/users", {{"username", "alice"}}, admin);
    ASSERT_TRUE(user);
    ASSERT_EQ(user->status, 201) << user->body;
    user_id_ = Json::parse(user->body)["id"];
    for (const char* id : {"web", "api"}) {
      Json draft = {{"client_id", id},
                    {"name", id},
                    {"type", "confidential"},
                    {"grant_types", {"authorization_code", "refresh_token"}},
                    {"redirect_uris", {kAppRedirect}},
                    {"scopes", {"openid", "read"}}};
      auto c = PostJson(*client_, "/admin/api/v1/realms/acme/clients", draft, admin);
      ASSERT_TRUE(c);
      ASSERT_EQ(c->status, 201) << c->body;
      Json j = Json::parse(c->body);
      internal_ids_[id] = j["id"];
      secrets_[id] = j["client_secret"];
    }
    std::map<std::string, std::string> env = env_->env();
    std::string url = env.count("IDM_DB") ? env["IDM_DB"] : "sqlite:" + env_->dir() + "/idm.db";
    auto store = store::Open(url, store::OpenOptions{2, 5000, false});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    InsertSession();
  }
  void TearDown() override {
    store_.reset();
    if (server_) server_->Signal(SIGTERM);
  }

  void InsertSession() {
    core::SsoSession s;
    s.id = core::NewUuid(random_);
    s.realm_id = realm_id_;
    s.user_id = user_id_;
    s.session_hash = crypto::HashSecret(crypto::NewSecret(random_, "idm_ss_"));
    core::UnixMillis now = core::SystemClock().NowMillis();
    s.auth_time = s.last_seen_at = s.created_at = now;
    s.idle_expires_at = now + 1800'000;
    s.absolute_expires_at = now + 36000'000;
    s.amr = {"pwd"};
    auto tx = store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->sessions().Create(s));
    ASSERT_TRUE((*tx)->Commit());
    session_id_ = s.id;
  }

  std::string IssueCode(const std::string& scope = "openid read") {
    std::string code = crypto::NewSecret(random_, crypto::kAuthCodePrefix);
    core::UnixMillis now = core::SystemClock().NowMillis();
    core::AuthorizationCode c;
    c.code_hash = crypto::HashSecret(code);
    c.realm_id = realm_id_;
    c.client_id = internal_ids_["web"];
    c.user_id = user_id_;
    c.session_id = session_id_;
    c.token_family_id = core::NewUuid(random_);
    c.redirect_uri = kAppRedirect;
    c.scope = scope;
    c.nonce = "n-1";
    c.code_challenge = kChallenge;
    c.code_challenge_method = "S256";
    c.auth_time = now;
    c.created_at = now;
    c.expires_at = now + 60'000;
    auto tx = store_->Begin(store::TxMode::kReadWrite);
    EXPECT_TRUE(tx);
    EXPECT_TRUE((*tx)->codes().Insert(c));
    EXPECT_TRUE((*tx)->Commit());
    return code;
  }

  http::ClientResponse Post(const std::string& path, const std::string& form,
                            const std::string& as = "web") {
    http::Headers h;
    if (!as.empty()) {
      h.emplace("Authorization", "Basic " + crypto::Base64Encode(as + ":" + secrets_[as]));
    }
    auto r = client_->Post("/realms/acme/protocol/openid-connect" + path, form,
                           "application/x-www-form-urlencoded", h);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }
  http::ClientResponse Redeem(const std::string& code) {
    return Post("/token", "grant_type=authorization_code&code=" + code +
                              "&redirect_uri=" + kRedirectEncoded + "&code_verifier=" + kVerifier);
  }
  http::ClientResponse Refresh(const std::string& rt) {
    return Post("/token", "grant_type=refresh_token&refresh_token=" + rt);
  }
  static std::string Error(const http::ClientResponse& r) {
    Json j = Json::parse(r.body, nullptr, false);
    return j.is_object() ? j.value("error", "") : "";
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> client_;
  std::unique_ptr<store::Store> store_;
  crypto::SecureRandom random_;
  std::string realm_id_, user_id_, session_id_;
  std::map<std::string, std::string> internal_ids_, secrets_;
};

TEST_P(TokenGrants, CodeWithPkceIssuesTokensAndAReusedCodeRevokesThem) {
  std::string code = IssueCode();
  http::ClientResponse r = Redeem(code);
  ASSERT_EQ(r.status, 200) << r.body << server_->Output();
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_TRUE(body.contains("id_token"));
  std::string rt = body["refresh_token"];
  http::ClientResponse again = Redeem(code);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(Error(again), "invalid_grant");
  http::ClientResponse refresh = Refresh(rt);
  EXPECT_EQ(refresh.status, 400) << refresh.body;
  EXPECT_EQ(Error(refresh), "invalid_grant");
}

TEST_P(TokenGrants, RefreshRotatesAndAReplayRevokesTheFamily) {
  std::string rt1 = Json::parse(Redeem(IssueCode()).body)["refresh_token"];
  http::ClientResponse r = Refresh(rt1);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string rt2 = Json::parse(r.body)["refresh_token"];
  EXPECT_EQ(Error(Refresh(rt1)), "invalid_grant");
  EXPECT_EQ(Error(Refresh(rt2)), "invalid_grant");
}

TEST_P(TokenGrants, IntrospectionAndRevocation) {
  Json tokens = Json::parse(Redeem(IssueCode()).body);
  std::string at = tokens["access_token"], rt = tokens["refresh_token"];
  Json active = Json::parse(Post("/token/introspect", "token=" + at, "api").body);
  EXPECT_EQ(active["active"], true);
  EXPECT_EQ(active["client_id"], "web");
  EXPECT_EQ(active["sub"], user_id_);
  EXPECT_EQ(Json::parse(Post("/token/introspect", "token=" + rt, "api").body)["active"], true);
  EXPECT_EQ(Post("/token/introspect", "token=" + rt, "").status, 401);
  // Another client's refresh token is not revoked (RFC 7009 §2.1), the answer is still 200.
  EXPECT_EQ(Post("/revoke", "token=" + rt, "api").status, 200);
  EXPECT_EQ(Json::parse(Post("/token/introspect", "token=" + rt, "api").body)["active"], true);
  EXPECT_EQ(Post("/revoke", "token=" + rt + "&token_type_hint=refresh_token").status, 200);
  EXPECT_EQ(Json::parse(Post("/token/introspect", "token=" + rt, "api").body),
            Json({{"active", false}}));
  EXPECT_EQ(Error(Refresh(rt)), "invalid_grant");
  EXPECT_EQ(Json::parse(Post("/token/introspect", "token=idm_rt_unknown", "api").body),
            Json({{"active", false}}));
}

TEST_P(TokenGrants, DiscoveryAdvertisesIntrospectionRevocationAndJwtAuthentication) {
  auto r = client_->Get("/realms/acme/.well-known/openid-configuration");
  ASSERT_TRUE(r);
  Json d = Json::parse(r->body);
  std::string issuer = server_->base_url() + "/realms/acme";
  EXPECT_EQ(d["introspection_endpoint"], issuer + "/protocol/openid-connect/token/introspect");
  EXPECT_EQ(d["revocation_endpoint"], issuer + "/protocol/openid-connect/revoke");
  EXPECT_NE(d["token_endpoint_auth_methods_supported"].dump().find("private_key_jwt"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenGrants,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
