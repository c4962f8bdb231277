#include "idm/oauth/token_request_checks.h"

#include <gtest/gtest.h>

#include "idm/core/json.h"
#include "idm/oauth/token_response.h"

namespace idm::oauth {
namespace {

core::Client Confidential(const std::string& method) {
  core::Client c;
  c.client_id = "svc";
  c.type = core::ClientType::kConfidential;
  c.token_endpoint_auth_method = method;
  c.grant_types = {"client_credentials"};
  return c;
}

TEST(TokenRequestChecks, OnlyPostIsAccepted) {
  http::WebRequest r;
  r.method = "GET";
  EXPECT_EQ(CheckPost(r).error().code, ErrorCode::kInvalidRequest);
  r.method = "POST";
  EXPECT_TRUE(CheckPost(r));
}

TEST(TokenRequestChecks, OnlyFormContentTypeIsAccepted) {
  http::WebRequest r;
  EXPECT_FALSE(CheckFormContentType(r));
  r.headers.emplace("Content-Type", "application/json");
  EXPECT_FALSE(CheckFormContentType(r));
  r.headers.clear();
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  EXPECT_TRUE(CheckFormContentType(r));
}

TEST(TokenRequestChecks, RepeatedParametersAreRefused) {
  EXPECT_TRUE(CheckNoRepeatedParams({{"a", "1"}, {"b", "2"}}));
  auto s = CheckNoRepeatedParams({{"a", "1"}, {"b", "2"}, {"b", "3"}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().description.find("\"b\""), std::string::npos);
}

TEST(TokenRequestChecks, GrantTypeMustBePresentAndNonEmpty) {
  EXPECT_FALSE(CheckGrantTypePresent({}));
  EXPECT_FALSE(CheckGrantTypePresent({{"grant_type", ""}}));
  EXPECT_TRUE(CheckGrantTypePresent({{"grant_type", "client_credentials"}}));
}

TEST(TokenRequestChecks, EitherSecretMethodServesEitherSecretRegistration) {
  for (const char* registered : {"client_secret_basic", "client_secret_post"}) {
    for (ClientAuthMethod used :
         {ClientAuthMethod::kClientSecretBasic, ClientAuthMethod::kClientSecretPost}) {
      EXPECT_TRUE(CheckAuthMethodAllowed({used, "svc", "s"}, Confidential(registered)))
          << registered << " via " << ClientAuthMethodName(used);
    }
  }
}

TEST(TokenRequestChecks, SecretlessRegistrationsNeverAuthenticateWithSecret) {
  auto jwt_client = CheckAuthMethodAllowed({ClientAuthMethod::kClientSecretBasic, "svc", "s"},
                                           Confidential("private_key_jwt"));
  ASSERT_FALSE(jwt_client);
  EXPECT_EQ(jwt_client.error().code, ErrorCode::kInvalidClient);
  EXPECT_TRUE(jwt_client.error().basic_auth_attempted);
  core::Client pub = Confidential("none");
  pub.type = core::ClientType::kPublic;
  EXPECT_FALSE(CheckAuthMethodAllowed({ClientAuthMethod::kClientSecretPost, "svc", "s"}, pub));
  EXPECT_FALSE(CheckAuthMethodAllowed({ClientAuthMethod::kNone, "svc", ""},
                                      Confidential("client_secret_basic")));
}

TEST(TokenRequestChecks, PrivateKeyJwtClientAuthenticatesOnlyWithAnAssertion) {
  core::Client jwt = Confidential("private_key_jwt");
  EXPECT_TRUE(CheckAuthMethodAllowed({ClientAuthMethod::kPrivateKeyJwt, "svc", "", "a.b.c"}, jwt));
  EXPECT_FALSE(CheckAuthMethodAllowed({ClientAuthMethod::kPrivateKeyJwt, "svc", "", "a.b.c"},
                                      Confidential("client_secret_basic")));
  EXPECT_FALSE(CheckAuthMethodAllowed({ClientAuthMethod::kNone, "svc", ""}, jwt));
}

TEST(TokenRequestChecks, PublicClientRegisteredWithNoneAuthenticatesWithClientIdAlone) {
  core::Client pub = Confidential("none");
  pub.type = core::ClientType::kPublic;
  EXPECT_TRUE(CheckAuthMethodAllowed({ClientAuthMethod::kNone, "svc", ""}, pub));
  EXPECT_FALSE(CheckAuthMethodAllowed({ClientAuthMethod::kPrivateKeyJwt, "svc", "", "a"}, pub));
}

TEST(TokenRequestChecks, GrantMustBeRegisteredForTheClient) {
  core::Client c = Confidential("client_secret_basic");
  EXPECT_TRUE(CheckGrantAllowed(c, "client_credentials"));
  auto s = CheckGrantAllowed(c, "authorization_code");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnauthorizedClient);
}

TEST(TokenResponse, ErrorsAreRfc6749Sec5_2JsonAndNeverCached) {
  http::WebResponse r = TokenError(InvalidScope("nope"), "acme");
  EXPECT_EQ(r.status, 400);
  auto body = core::Json::parse(r.body);
  EXPECT_EQ(body["error"], "invalid_scope");
  EXPECT_EQ(body["error_description"], "nope");
  EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");
  EXPECT_EQ(r.headers.find("Pragma")->second, "no-cache");
  EXPECT_EQ(r.headers.count("WWW-Authenticate"), 0u);
}

TEST(TokenResponse, InvalidClientAfterBasicAnswers401WithChallenge) {
  http::WebResponse r = TokenError({ErrorCode::kInvalidClient, "bad", true}, "acme");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers.find("WWW-Authenticate")->second, "Basic realm=\"acme\"");
}

TEST(TokenResponse, SuccessCarriesBearerTypeAndNoStore) {
  http::WebResponse r = TokenSuccess({"tok", "Bearer", 300, "read"});
  EXPECT_EQ(r.status, 200);
  auto body = core::Json::parse(r.body);
  EXPECT_EQ(body["access_token"], "tok");
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 300);
  EXPECT_EQ(body["scope"], "read");
  EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");
}

TEST(TokenResponse, SuccessHasExactlyTheIssuedMembersRfc6749Sec5_1) {
  http::WebResponse bare = TokenSuccess({"tok", "Bearer", 60, "", "", ""});
  EXPECT_EQ(core::Json::parse(bare.body),
            core::Json({{"access_token", "tok"}, {"token_type", "Bearer"}, {"expires_in", 60}}));
  EXPECT_EQ(bare.headers.find("Content-Type")->second.rfind("application/json", 0), 0u);
  http::WebResponse full =
      TokenSuccess({"a.b.c", "DPoP", 300, "openid profile", "idm_rt_x", "i.d.t"});
  EXPECT_EQ(core::Json::parse(full.body), core::Json({{"access_token", "a.b.c"},
                                                      {"token_type", "DPoP"},
                                                      {"expires_in", 300},
                                                      {"scope", "openid profile"},
                                                      {"refresh_token", "idm_rt_x"},
                                                      {"id_token", "i.d.t"}}));
  EXPECT_EQ(full.headers.find("Pragma")->second, "no-cache");
}

}  // namespace
}  // namespace idm::oauth
