#include "idm/oauth/client_authentication.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"

namespace idm::oauth {
namespace {

http::WebRequest WithBasic(const std::string& user_pass) {
  http::WebRequest r;
  r.method = "POST";
  r.headers.emplace("Authorization", "Basic " + crypto::Base64Encode(user_pass));
  return r;
}

TEST(ClientAuthentication, BasicDecodesFormUrlEncodedIdAndSecretRfc6749Sec2_3_1) {
  http::WebRequest r = WithBasic("my%3Aapp:s%2Bcr+t%25");
  auto creds = ExtractClientCredentials(r, {});
  ASSERT_TRUE(creds) << creds.error().description;
  EXPECT_EQ(creds->method, ClientAuthMethod::kClientSecretBasic);
  EXPECT_EQ(creds->client_id, "my:app");
  EXPECT_EQ(creds->client_secret, "s+cr t%");
}

TEST(ClientAuthentication, BasicSchemeIsCaseInsensitive) {
  http::WebRequest r;
  r.headers.emplace("Authorization", "bAsIc " + crypto::Base64Encode("app:secret"));
  auto creds = ExtractClientCredentials(r, {});
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->client_id, "app");
}

TEST(ClientAuthentication, PostUsesFormParameters) {
  http::WebRequest r;
  http::Params form{{"client_id", "app"}, {"client_secret", "secret"}};
  auto creds = ExtractClientCredentials(r, form);
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->method, ClientAuthMethod::kClientSecretPost);
  EXPECT_EQ(creds->client_secret, "secret");
}

TEST(ClientAuthentication, ClientIdAloneIsMethodNone) {
  http::WebRequest r;
  auto creds = ExtractClientCredentials(r, {{"client_id", "app"}});
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->method, ClientAuthMethod::kNone);
  EXPECT_TRUE(creds->client_secret.empty());
}

TEST(ClientAuthentication, RejectsTwoMethodsInOneRequestRfc6749Sec2_3) {
  http::WebRequest r = WithBasic("app:secret");
  auto creds = ExtractClientCredentials(r, {{"client_id", "app"}, {"client_secret", "secret"}});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidRequest);
}

TEST(ClientAuthentication, RejectsFormClientIdDifferentFromBasicOne) {
  http::WebRequest r = WithBasic("app:secret");
  auto creds = ExtractClientCredentials(r, {{"client_id", "other"}});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidRequest);
}

TEST(ClientAuthentication, AcceptsFormClientIdEqualToBasicOne) {
  http::WebRequest r = WithBasic("app:secret");
  EXPECT_TRUE(ExtractClientCredentials(r, {{"client_id", "app"}}));
}

TEST(ClientAuthentication, RejectsMalformedBasicCredentials) {
  struct Case {
    const char* name;
    std::string header;
  } cases[] = {
      {"not base64", "Basic !!!"},
      {"no colon", "Basic " + crypto::Base64Encode("appsecret")},
      {"empty id", "Basic " + crypto::Base64Encode(":secret")},
      {"bad escape", "Basic " + crypto::Base64Encode("app:se%zzret")},
      {"truncated escape", "Basic " + crypto::Base64Encode("app:secret%4")},
  };
  for (const Case& c : cases) {
    http::WebRequest r;
    r.headers.emplace("Authorization", c.header);
    auto creds = ExtractClientCredentials(r, {});
    ASSERT_FALSE(creds) << c.name;
    EXPECT_EQ(creds.error().code, ErrorCode::kInvalidRequest) << c.name;
    EXPECT_TRUE(creds.error().basic_auth_attempted) << c.name;
  }
}

TEST(ClientAuthentication, NoCredentialsIsInvalidClient) {
  http::WebRequest r;
  r.headers.emplace("Authorization", "Bearer abc");  // not a client authentication scheme
  auto creds = ExtractClientCredentials(r, {});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidClient);
  EXPECT_FALSE(creds.error().basic_auth_attempted);
}

TEST(ClientAuthentication, JwtBearerAssertionIsPrivateKeyJwtRfc7523Sec2_2) {
  http::WebRequest r;
  http::Params form{{"client_assertion_type", std::string(kJwtBearerAssertionType)},
                    {"client_assertion", "a.b.c"}};
  auto creds = ExtractClientCredentials(r, form);
  ASSERT_TRUE(creds) << creds.error().description;
  EXPECT_EQ(creds->method, ClientAuthMethod::kPrivateKeyJwt);
  EXPECT_EQ(creds->client_assertion, "a.b.c");
  EXPECT_TRUE(creds->client_id.empty());  // taken from the assertion's sub
}

TEST(ClientAuthentication, AssertionWithoutTypeIsInvalidRequest) {
  http::WebRequest r;
  auto creds = ExtractClientCredentials(r, {{"client_assertion", "a.b.c"}});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidRequest);
}

TEST(ClientAuthentication, UnknownAssertionTypeIsInvalidClientRfc7521Sec4_2_1) {
  http::WebRequest r;
  auto creds = ExtractClientCredentials(
      r, {{"client_assertion_type", "urn:example:saml"}, {"client_assertion", "x"}});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidClient);
}

TEST(ClientAuthentication, AssertionWithBasicIsTwoMethods) {
  http::WebRequest r = WithBasic("app:secret");
  auto creds =
      ExtractClientCredentials(r, {{"client_assertion_type", std::string(kJwtBearerAssertionType)},
                                   {"client_assertion", "a.b.c"}});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidRequest);
}

TEST(FormUrlDecode, DecodesPlusAndPercentEscapes) {
  EXPECT_EQ(FormUrlDecode("a+b%2Fc%3a"), "a b/c:");
  EXPECT_EQ(FormUrlDecode(""), "");
  EXPECT_FALSE(FormUrlDecode("%"));
  EXPECT_FALSE(FormUrlDecode("%2"));
  EXPECT_FALSE(FormUrlDecode("%g0"));
}

}  // namespace
}  // namespace idm::oauth
