#include "idm/crypto/jwt.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "tests/unit/crypto/jose_util.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;
using testing::MakeJws;
using testing::TestKey;

constexpr core::UnixSeconds kNow = 1'700'000'000;
constexpr char kIssuer[] = "https://idm.example/realms/acme";

class JwtTest : public ::testing::Test {
 protected:
  JwtValidation Expect() const {
    JwtValidation v;
    v.allowed_algs = {JwsAlg::kEs256, JwsAlg::kRs256};
    v.now = kNow;
    v.leeway_seconds = 60;
    v.issuer = kIssuer;
    v.audience = "api";
    v.typ = "at+jwt";
    return v;
  }
  core::Json Claims() const {
    return {{"iss", kIssuer}, {"sub", "u1"}, {"aud", "api"},
            {"iat", kNow},    {"nbf", kNow}, {"exp", kNow + 300}};
  }
  Result<Jwt> Verify(const core::Json& claims, const JwtValidation& v,
                     std::string_view typ = "at+jwt") {
    return JwtVerify(JwtSign(key_, claims, typ).value(), key_.public_jwk(), v);
  }
  ErrorCode CodeFor(const core::Json& claims, const JwtValidation& v) {
    auto r = Verify(claims, v);
    EXPECT_FALSE(r) << claims.dump();
    return r ? ErrorCode::kInternal : r.error().code;
  }

  const SigningKey& key_ = TestKey(JwsAlg::kEs256);
};

TEST_F(JwtTest, SignsAndVerifiesAnAccessToken) {
  auto r = Verify(Claims(), Expect());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->claims, Claims());
  EXPECT_EQ(r->header["typ"], "at+jwt");
  EXPECT_EQ(r->alg, JwsAlg::kEs256);
  EXPECT_EQ(r->kid, key_.kid());
}

TEST_F(JwtTest, AcceptsAudienceArraysContainingTheAudience) {
  core::Json c = Claims();
  c["aud"] = {"other", "api"};
  EXPECT_TRUE(Verify(c, Expect()));
  c["aud"] = {"other", "API"};
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kWrongAudience);
  c["aud"] = core::Json::array();
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kWrongAudience);
  c["aud"] = {"api", 5};
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kMissingClaim);
}

TEST_F(JwtTest, RejectsExpiredTokensOnlyAfterTheLeeway) {
  core::Json c = Claims();
  c["exp"] = kNow - 59;
  EXPECT_TRUE(Verify(c, Expect()));
  c["exp"] = kNow - 60;  // RFC 7519 §4.1.4: now must be before exp (+ leeway)
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kExpired);
  c["exp"] = kNow - 3600;
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kExpired);
  JwtValidation strict = Expect();
  strict.leeway_seconds = 0;
  c["exp"] = kNow;
  EXPECT_EQ(CodeFor(c, strict), ErrorCode::kExpired);
  c["exp"] = kNow + 0.5;  // NumericDate may be fractional
  EXPECT_TRUE(Verify(c, strict));
}

TEST_F(JwtTest, RejectsTokensNotYetValidOrIssuedInTheFuture) {
  core::Json c = Claims();
  c["nbf"] = kNow + 60;
  EXPECT_TRUE(Verify(c, Expect()));
  c["nbf"] = kNow + 61;
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kNotYetValid);
  c = Claims();
  c["iat"] = kNow + 61;
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kIssuedInFuture);
}

TEST_F(JwtTest, RejectsWrongIssuerAndAudience) {
  core::Json c = Claims();
  c["iss"] = "https://idm.example/realms/other";
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kWrongIssuer);
  c = Claims();
  c["aud"] = "other-api";
  EXPECT_EQ(CodeFor(c, Expect()), ErrorCode::kWrongAudience);
}

TEST_F(JwtTest, RejectsMissingOrMistypedClaims) {
  struct Case {
    const char* name;
    const char* claim;
    core::Json value;  // null: remove the claim
  } cases[] = {
      {"no exp", "exp", nullptr},    {"exp as string", "exp", "1700000300"},
      {"nbf as string", "nbf", "0"}, {"iat as bool", "iat", true},
      {"no iss", "iss", nullptr},    {"iss as array", "iss", {kIssuer}},
      {"no aud", "aud", nullptr},    {"aud as object", "aud", {{"a", "api"}}},
  };
  for (const auto& c : cases) {
    core::Json claims = Claims();
    if (c.value.is_null()) {
      claims.erase(c.claim);
    } else {
      claims[c.claim] = c.value;
    }
    EXPECT_EQ(CodeFor(claims, Expect()), ErrorCode::kMissingClaim) << c.name;
  }
}

TEST_F(JwtTest, ChecksOnlyWhatIsAsked) {
  JwtValidation lax;
  lax.allowed_algs = {JwsAlg::kEs256};
  lax.now = kNow;
  lax.require_exp = false;
  EXPECT_TRUE(Verify({{"sub", "u1"}}, lax, ""));
  lax.require_exp = true;
  EXPECT_EQ(CodeFor({{"sub", "u1"}}, lax), ErrorCode::kMissingClaim);
}

TEST_F(JwtTest, ChecksTypIgnoringCaseAndApplicationPrefix) {
  EXPECT_TRUE(Verify(Claims(), Expect(), "application/at+jwt"));
  EXPECT_TRUE(Verify(Claims(), Expect(), "AT+JWT"));
  for (std::string_view typ : {"JWT", "", "logout+jwt"}) {
    auto r = Verify(Claims(), Expect(), typ);
    ASSERT_FALSE(r) << typ;
    EXPECT_EQ(r.error().code, ErrorCode::kWrongType) << typ;
  }
}

TEST_F(JwtTest, RejectsPayloadsThatAreNotJsonObjects) {
  for (const char* payload : {"[1,2]", "\"text\"", "not json", ""}) {
    auto r = JwtVerify(MakeJws(key_, "{\"alg\":\"ES256\",\"typ\":\"at+jwt\"}", payload),
                       key_.public_jwk(), Expect());
    ASSERT_FALSE(r) << payload;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformed) << payload;
  }
  EXPECT_EQ(JwtSign(key_, core::Json::array()).error().code, ErrorCode::kMalformed);
}

TEST_F(JwtTest, AnEmptyAllowListAcceptsNothing) {
  JwtValidation v = Expect();
  v.allowed_algs.clear();
  EXPECT_EQ(CodeFor(Claims(), v), ErrorCode::kAlgorithmNotAllowed);
}

TEST_F(JwtTest, SignatureIsCheckedBeforeClaims) {
  core::Json expired = Claims();
  expired["exp"] = kNow - 3600;
  std::string jws = JwtSign(TestKey(JwsAlg::kEs256, 1), expired, "at+jwt").value();
  EXPECT_EQ(JwtVerify(jws, key_.public_jwk(), Expect()).error().code, ErrorCode::kBadSignature);
}

TEST_F(JwtTest, VerifiesAgainstAKeySet) {
  JwkSet set;
  set.Add(TestKey(JwsAlg::kEs256, 1).public_jwk());
  set.Add(key_.public_jwk());
  std::string jws = JwtSign(key_, Claims(), "at+jwt").value();
  auto r = JwtVerify(jws, set, Expect());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kid, key_.kid());
}

TEST(Jwt, Rfc7515AppendixA2TokenValidatesAtItsTimeAndExpiresAfter) {
  auto v = LoadVectors("rfc7515_a2_rs256.json");
  Jwk key = Jwk::FromJson(v["jwk"]).value();
  JwtValidation at_the_time;
  at_the_time.allowed_algs = {JwsAlg::kRs256};
  at_the_time.now = 1300819380 - 100;
  at_the_time.issuer = "joe";
  auto r = JwtVerify(v["jws"].get<std::string>(), key, at_the_time);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->claims["http://example.com/is_root"], true);
  JwtValidation later = at_the_time;
  later.now = 1300819380 + 61;
  EXPECT_EQ(JwtVerify(v["jws"].get<std::string>(), key, later).error().code, ErrorCode::kExpired);
}

TEST(JwtDecodeUnverified, ReadsIssuerAndKidWithoutCheckingTheSignature) {
  const SigningKey& key = TestKey(JwsAlg::kPs256);
  std::string jws = JwtSign(key, {{"iss", "client-1"}, {"sub", "client-1"}}).value();
  size_t mid = jws.size() - 10;  // inside the signature, away from its canonical last character
  jws[mid] = jws[mid] == 'A' ? 'B' : 'A';
  auto r = JwtDecodeUnverified(jws);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->claims["iss"], "client-1");
  EXPECT_EQ(r->kid, key.kid());
  EXPECT_EQ(r->alg, JwsAlg::kPs256);
  EXPECT_EQ(JwtDecodeUnverified("a.b").error().code, ErrorCode::kMalformed);
}

TEST(ValidateJwtClaims, RejectsNonObjects) {
  JwtValidation v;
  EXPECT_EQ(ValidateJwtClaims(core::Json::array(), v).error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace idm::crypto
