// `idm serve` end to end for the pieces of docs/design/015, on SQLite and (with IDM_TEST_PG_URL)
// PostgreSQL: an administrator's initial access token registers a client (RFC 7591), the client
// reads its registration (RFC 7592), its client-credentials token reads UserInfo for its service
// account (OIDC Core §5.3), discovery advertises both endpoints, and JWKS publishes a next key per
// algorithm that does not sign yet.
#include <gtest/gtest.h>

#include <set>

#include "idm/crypto/encoding.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

using core::Json;

class RegistrationUserinfo : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
  }
  std::unique_ptr<TestEnvironment> env_;
};

Json Body(const http::Result<http::ClientResponse>& r) {
  if (!r) return Json();
  return Json::parse(r->body, nullptr, false);
}

TEST_P(RegistrationUserinfo, RegisteredClientReadsUserinfoAndJwksPublishesNextKeys) {
  ServerProcess server(env_->dir(), env_->env());
  ASSERT_TRUE(server.Start()) << server.Output();
  http::Client client(server.base_url());
  std::string admin = AdminToken(client);
  ASSERT_FALSE(admin.empty()) << server.Output();
  auto realm = PostJson(client, "/admin/api/v1/realms", {{"name", "acme"}}, admin);
  ASSERT_TRUE(realm);
  ASSERT_EQ(realm->status, 201) << realm->body;

  // The default policy needs an initial access token (shown once).
  auto iat = PostJson(client, "/admin/api/v1/realms/acme/initial-access-tokens",
                      {{"expires_in", 600}, {"max_uses", 1}}, admin);
  ASSERT_TRUE(iat);
  ASSERT_EQ(iat->status, 201) << iat->body;
  std::string iat_token = Body(iat)["token"];
  ASSERT_TRUE(iat_token.starts_with("idm_iat_"));
  auto listed = GetWithToken(client, "/admin/api/v1/realms/acme/initial-access-tokens", admin);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->body.find(iat_token), std::string::npos) << "only the hash is kept";

  Json metadata = {{"client_name", "Batch"},
                   {"grant_types", {"client_credentials"}},
                   {"response_types", Json::array()},
                   {"scope", "openid profile"}};
  auto reg = PostJson(client, "/realms/acme/clients-registrations", metadata, iat_token);
  ASSERT_TRUE(reg);
  ASSERT_EQ(reg->status, 201) << reg->body;
  Json registered = Body(reg);
  std::string client_id = registered["client_id"];
  std::string secret = registered["client_secret"];
  auto again = PostJson(client, "/realms/acme/clients-registrations", metadata, iat_token);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 401) << "the token had one use";

  auto read = GetWithToken(client, "/realms/acme/clients-registrations/" + client_id,
                           registered["registration_access_token"]);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << read->body;

  auto sa =
      PostJson(client, "/admin/api/v1/realms/acme/users",
               {{"username", "service-account-" + client_id}, {"first_name", "Batch"}}, admin);
  ASSERT_TRUE(sa);
  ASSERT_EQ(sa->status, 201) << sa->body;
  // token_endpoint_auth_method defaulted to client_secret_basic (RFC 7591 §2).
  http::Headers basic{{"Authorization", "Basic " + crypto::Base64Encode(client_id + ":" + secret)}};
  auto token = client.Post("/realms/acme/protocol/openid-connect/token",
                           "grant_type=client_credentials&scope=openid%20profile",
                           "application/x-www-form-urlencoded", basic);
  ASSERT_TRUE(token);
  ASSERT_EQ(token->status, 200) << token->body;
  std::string access_token = Body(token)["access_token"];
  auto info = GetWithToken(client, "/realms/acme/protocol/openid-connect/userinfo", access_token);
  ASSERT_TRUE(info);
  ASSERT_EQ(info->status, 200) << info->body;
  Json claims = Body(info);
  EXPECT_EQ(claims["sub"], Body(sa)["id"]);
  EXPECT_EQ(claims["preferred_username"], "service-account-" + client_id);
  auto anonymous = client.Get("/realms/acme/protocol/openid-connect/userinfo");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  Json discovery = Body(client.Get("/realms/acme/.well-known/openid-configuration"));
  EXPECT_EQ(discovery["registration_endpoint"],
            server.base_url() + "/realms/acme/clients-registrations");
  EXPECT_EQ(discovery["userinfo_endpoint"],
            server.base_url() + "/realms/acme/protocol/openid-connect/userinfo");

  // Publish before sign (ARCHITECTURE.md decision 5): per alg, JWKS holds the signing key and a
  // next key that has not signed anything.
  Json jwks = Body(client.Get("/realms/acme/protocol/openid-connect/certs"));
  std::map<std::string, int> per_alg;
  for (const Json& k : jwks["keys"]) per_alg[k["alg"]]++;
  EXPECT_EQ(per_alg["ES256"], 2) << jwks.dump();
  EXPECT_EQ(per_alg["RS256"], 2) << jwks.dump();
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.Output();
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistrationUserinfo,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
