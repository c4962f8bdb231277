// RFC 7523 §2.2 / §3 and OIDC Core §9 private_key_jwt client authentication, through the token
// endpoint (ClientAuthenticator is shared with introspection and revocation).
#include "idm/oauth/client_authenticator.h"

#include <gtest/gtest.h>

#include <atomic>

#include "idm/crypto/encoding.h"
#include "idm/crypto/jwt.h"
#include "tests/unit/http/server_fixture.h"
#include "tests/unit/oauth/user_grant_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

class PrivateKeyJwt : public OnEachBackend<UserGrantTest> {
 protected:
  void SetUp() override {
    UserGrantTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto key = crypto::SigningKey::Generate(crypto::JwsAlg::kEs256);
    ASSERT_TRUE(key);
    key_.emplace(std::move(*key));
    core::Client draft;
    draft.client_id = "jwt-svc";
    draft.name = "jwt-svc";
    draft.type = core::ClientType::kConfidential;
    draft.token_endpoint_auth_method = "private_key_jwt";
    draft.grant_types = {"client_credentials"};
    draft.scopes = {"read"};
    draft.jwks = Json{{"keys", Json::array({key_->public_jwk().ToJson()})}}.dump();
    auto c = clients_->Create(Ctx(), "acme", draft);
    ASSERT_TRUE(c) << c.error().detail;
  }

  Json Claims() {
    int64_t now = clock_.NowSeconds();
    return Json{{"iss", "jwt-svc"},
                {"sub", "jwt-svc"},
                {"aud", std::string(kPublicUrl) + "/realms/acme/protocol/openid-connect/token"},
                {"iat", now},
                {"exp", now + 60},
                {"jti", core::NewUuid(random_)}};
  }
  std::string Sign(const Json& claims) {
    auto jwt = crypto::JwtSign(*key_, claims, "");
    EXPECT_TRUE(jwt);
    return jwt ? *jwt : "";
  }
  http::WebResponse Present(const std::string& assertion) {
    return Serve(TokenRequest("grant_type=client_credentials&client_assertion_type=" +
                              UrlEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                              "&client_assertion=" + assertion));
  }
  void ExpectInvalidClient(const http::WebResponse& r) {
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(BodyOf(r).value("error", ""), "invalid_client") << r.body;
  }
  // A JWS with the given header over claims and an arbitrary signature.
  static std::string Unsigned(const Json& header, const Json& claims, const std::string& sig) {
    return crypto::Base64UrlEncode(header.dump()) + "." + crypto::Base64UrlEncode(claims.dump()) +
           "." + sig;
  }

  std::optional<crypto::SigningKey> key_;
};

TEST_P(PrivateKeyJwt, SignedAssertionAuthenticatesTheClient) {
  http::WebResponse r = Present(Sign(Claims()));
  ASSERT_EQ(r.status, 200) << r.body;
  auto claims = verifier_->Verify(BodyOf(r)["access_token"].get<std::string>());
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->client_id, "jwt-svc");
}

TEST_P(PrivateKeyJwt, IssuerAsAudienceIsAccepted) {
  Json c = Claims();
  c["aud"] = Json::array({std::string(kPublicUrl) + "/realms/acme"});
  EXPECT_EQ(Present(Sign(c)).status, 200);
}

TEST_P(PrivateKeyJwt, TamperedSignatureIsInvalidClient) {
  std::string jwt = Sign(Claims());
  jwt[jwt.size() - 5] = jwt[jwt.size() - 5] == 'A' ? 'B' : 'A';
  ExpectInvalidClient(Present(jwt));
}

TEST_P(PrivateKeyJwt, TamperedClaimsAreInvalidClient) {
  std::string jwt = Sign(Claims());
  size_t dot1 = jwt.find('.');
  size_t dot2 = jwt.find('.', dot1 + 1);
  Json other = Claims();
  other["exp"] = clock_.NowSeconds() + 500;
  ExpectInvalidClient(
      Present(jwt.substr(0, dot1 + 1) + crypto::Base64UrlEncode(other.dump()) + jwt.substr(dot2)));
}

TEST_P(PrivateKeyJwt, AlgNoneIsInvalidClient) {
  ExpectInvalidClient(Present(Unsigned({{"alg", "none"}}, Claims(), "")));
}

TEST_P(PrivateKeyJwt, HmacAlgIsInvalidClient) {
  ExpectInvalidClient(
      Present(Unsigned({{"alg", "HS256"}, {"kid", key_->kid()}}, Claims(), "c2ln")));
}

TEST_P(PrivateKeyJwt, UnknownKidIsInvalidClient) {
  auto other = crypto::SigningKey::Generate(crypto::JwsAlg::kEs256);
  ASSERT_TRUE(other);
  auto jwt = crypto::JwtSign(*other, Claims(), "");
  ASSERT_TRUE(jwt);
  ExpectInvalidClient(Present(*jwt));
}

TEST_P(PrivateKeyJwt, ExpiredAssertionIsInvalidClient) {
  Json c = Claims();
  c["exp"] = clock_.NowSeconds() - 120;
  ExpectInvalidClient(Present(Sign(c)));
}

TEST_P(PrivateKeyJwt, AssertionWithoutExpIsInvalidClient) {
  Json c = Claims();
  c.erase("exp");
  ExpectInvalidClient(Present(Sign(c)));
}

TEST_P(PrivateKeyJwt, AssertionLivingTooLongIsInvalidClient) {
  Json c = Claims();
  c["exp"] = clock_.NowSeconds() + kMaxAssertionLifetimeS + 60;
  ExpectInvalidClient(Present(Sign(c)));
}

TEST_P(PrivateKeyJwt, WrongAudienceIsInvalidClient) {
  Json c = Claims();
  c["aud"] = "https://elsewhere.example.test/token";
  ExpectInvalidClient(Present(Sign(c)));
}

TEST_P(PrivateKeyJwt, IssuerDifferentFromSubjectIsInvalidClient) {
  Json c = Claims();
  c["iss"] = "web";
  ExpectInvalidClient(Present(Sign(c)));
}

TEST_P(PrivateKeyJwt, ReplayedJtiIsInvalidClient) {
  std::string jwt = Sign(Claims());
  ASSERT_EQ(Present(jwt).status, 200);
  ExpectInvalidClient(Present(jwt));
}

TEST_P(PrivateKeyJwt, MissingJtiIsInvalidClient) {
  Json c = Claims();
  c.erase("jti");
  ExpectInvalidClient(Present(Sign(c)));
}

TEST_P(PrivateKeyJwt, SecretClientCannotAuthenticateWithAnAssertion) {
  Json c = Claims();
  c["iss"] = c["sub"] = "web";
  ExpectInvalidClient(Present(Sign(c)));
}

TEST_P(PrivateKeyJwt, AssertionClientCannotAuthenticateWithClientIdAlone) {
  http::WebResponse r = Serve(TokenRequest("grant_type=client_credentials&client_id=jwt-svc"));
  ExpectInvalidClient(r);
}

TEST_P(PrivateKeyJwt, AssertionTogetherWithSecretIsInvalidRequest) {
  http::WebResponse r =
      Serve(TokenRequest("grant_type=client_credentials&client_secret=x&client_assertion_type=" +
                         UrlEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                         "&client_assertion=" + Sign(Claims())));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(BodyOf(r).value("error", ""), "invalid_request");
}

TEST_P(PrivateKeyJwt, OtherAssertionTypeIsInvalidClient) {
  ExpectInvalidClient(
      Serve(TokenRequest("grant_type=client_credentials&client_assertion_type=urn%3Aexample%3Aother"
                         "&client_assertion=" +
                         Sign(Claims()))));
}

// RFC 7591 §2 jwks_uri: the client's keys fetched from a real HTTP server on the loopback.
class PrivateKeyJwtWithJwksUri : public PrivateKeyJwt {
 protected:
  void SetUp() override {
    PrivateKeyJwt::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    http::Router router;
    std::string jwks = Json{{"keys", Json::array({key_->public_jwk().ToJson()})}}.dump();
    router.Add("GET", "/jwks", [this, jwks](const http::WebRequest&) {
      ++fetches_;
      return http::WebResponse::Json(200, jwks);
    });
    server_ = std::make_unique<http::testing::RunningServer>(std::move(router));
    core::Client c = ClientNamed("jwt-svc");
    c.jwks.clear();
    c.jwks_uri = server_->Url() + "/jwks";
    SaveClient(c);
  }
  void TearDown() override {
    server_.reset();
    PrivateKeyJwt::TearDown();
  }
  std::atomic<int> fetches_{0};
  std::unique_ptr<http::testing::RunningServer> server_;
};

TEST_P(PrivateKeyJwtWithJwksUri, KeysFromJwksUriAuthenticateTheClient) {
  EXPECT_EQ(Present(Sign(Claims())).status, 200);
}

TEST_P(PrivateKeyJwtWithJwksUri, JwksUriIsFetchedOnceWhileCached) {
  ASSERT_EQ(Present(Sign(Claims())).status, 200);
  ASSERT_EQ(Present(Sign(Claims())).status, 200);
  EXPECT_EQ(fetches_.load(), 1);
  clock_.Advance(std::chrono::milliseconds(kJwksCacheMs + 1));
  ASSERT_EQ(Present(Sign(Claims())).status, 200);
  EXPECT_EQ(fetches_.load(), 2);
}

TEST_P(PrivateKeyJwtWithJwksUri, UnreachableJwksUriIsInvalidClient) {
  core::Client c = ClientNamed("jwt-svc");
  c.jwks_uri = server_->Url() + "/missing";  // 404
  SaveClient(c);
  ExpectInvalidClient(Present(Sign(Claims())));
}

IDM_OAUTH_BACKEND_SUITE(PrivateKeyJwt);
IDM_OAUTH_BACKEND_SUITE(PrivateKeyJwtWithJwksUri);

}  // namespace
}  // namespace idm::oauth::testing
