#include "idm/crypto/jwk.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;

core::Json P256Jwk() { return LoadVectors("rfc7515_a3_es256.json")["jwk"]; }

TEST(Jwk, ThumbprintMatchesRfc7638Section3_1AndKidIsKept) {
  auto v = LoadVectors("rfc7638_thumbprint.json");
  auto jwk = Jwk::FromJson(v["jwk"]);
  ASSERT_TRUE(jwk) << jwk.error().message;
  EXPECT_EQ(jwk->Thumbprint(), v["thumbprint"].get<std::string>());
  EXPECT_EQ(jwk->kid(), "2011-04-29");
  EXPECT_EQ(jwk->alg(), JwsAlg::kRs256);
  EXPECT_EQ(jwk->kty(), KeyType::kRsa);
}

TEST(Jwk, Ed25519ThumbprintMatchesRfc8037A3AndBecomesTheDefaultKid) {
  auto v = LoadVectors("rfc8037_ed25519.json");
  auto jwk = Jwk::FromJson(v["jwk"]);
  ASSERT_TRUE(jwk) << jwk.error().message;
  EXPECT_EQ(jwk->Thumbprint(), v["thumbprint"].get<std::string>());
  EXPECT_EQ(jwk->kid(), v["thumbprint"].get<std::string>());
  EXPECT_EQ(jwk->kty(), KeyType::kOkp);
}

TEST(Jwk, IgnoresPrivateMembersAndNeverExportsThem) {
  for (const char* file :
       {"rfc7515_a2_rs256.json", "rfc7515_a3_es256.json", "rfc8037_ed25519.json"}) {
    auto v = LoadVectors(file);
    auto jwk = Jwk::FromJson(v["jwk"]);
    ASSERT_TRUE(jwk) << file << ": " << jwk.error().message;
    core::Json out = jwk->ToJson();
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) {
      EXPECT_FALSE(out.contains(secret)) << file << " exports " << secret;
    }
    for (const auto& [name, value] : out.items()) {
      if (name == "kid") continue;
      EXPECT_EQ(value, v["jwk"][name]) << file << " member " << name;
    }
  }
}

TEST(Jwk, ExportedJsonParsesBackToTheSameKey) {
  auto jwk = Jwk::FromJson(LoadVectors("rfc7638_thumbprint.json")["jwk"]);
  ASSERT_TRUE(jwk);
  auto again = Jwk::FromJson(jwk->ToJson());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->ToJson(), jwk->ToJson());
  EXPECT_EQ(again->Thumbprint(), jwk->Thumbprint());
}

TEST(Jwk, RejectsMalformedAndUnsupportedKeys) {
  core::Json good = P256Jwk();
  good.erase("d");
  auto with = [&](const char* member, core::Json value) {
    core::Json j = good;
    if (value.is_null()) {
      j.erase(member);
    } else {
      j[member] = value;
    }
    return j;
  };
  std::string x = *Base64UrlDecode(good["x"].get<std::string>());
  std::string y = *Base64UrlDecode(good["y"].get<std::string>());
  std::string bad_y = y;
  bad_y[31] = static_cast<char>(bad_y[31] ^ 1);
  struct Case {
    const char* name;
    core::Json jwk;
    ErrorCode code;
  } cases[] = {
      {"not an object", core::Json::array(), ErrorCode::kMalformed},
      {"no kty", with("kty", nullptr), ErrorCode::kMalformed},
      {"oct key", {{"kty", "oct"}, {"k", "AAAA"}}, ErrorCode::kUnsupportedAlgorithm},
      {"P-384", with("crv", "P-384"), ErrorCode::kUnsupportedAlgorithm},
      {"X25519",
       {{"kty", "OKP"}, {"crv", "X25519"}, {"x", good["x"]}},
       ErrorCode::kUnsupportedAlgorithm},
      {"missing x", with("x", nullptr), ErrorCode::kMalformed},
      {"x not a string", with("x", 5), ErrorCode::kMalformed},
      {"bad base64url", with("x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU="),
       ErrorCode::kMalformed},
      {"short x", with("x", Base64UrlEncode(x.substr(1))), ErrorCode::kInvalidKey},
      {"off-curve point", with("y", Base64UrlEncode(bad_y)), ErrorCode::kInvalidKey},
      {"alg none", with("alg", "none"), ErrorCode::kAlgorithmNotAllowed},
      {"alg HS256", with("alg", "HS256"), ErrorCode::kUnsupportedAlgorithm},
      {"kid not a string", with("kid", 7), ErrorCode::kMalformed},
      {"short Ed25519 x",
       {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AAAA"}},
       ErrorCode::kInvalidKey},
  };
  for (const auto& c : cases) {
    auto r = Jwk::FromJson(c.jwk);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
  }
}

TEST(Jwk, RejectsSmallAndNonMinimalRsaModuli) {
  core::Json rsa = LoadVectors("rfc7638_thumbprint.json")["jwk"];
  std::string n = *Base64UrlDecode(rsa["n"].get<std::string>());
  core::Json small = rsa, padded = rsa;
  small["n"] = Base64UrlEncode(n.substr(0, 128));  // 1024 bits: below RFC 7518 §3.3's 2048
  padded["n"] = Base64UrlEncode(std::string(1, '\0') + n);
  EXPECT_EQ(Jwk::FromJson(small).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(Jwk::FromJson(padded).error().code, ErrorCode::kInvalidKey);
}

TEST(Jwk, FitsOnlyTheAlgorithmsOfItsTypeAlgAndUse) {
  auto ec = Jwk::FromJson(P256Jwk()).value();
  EXPECT_TRUE(ec.CheckFits(JwsAlg::kEs256));
  for (JwsAlg alg : {JwsAlg::kRs256, JwsAlg::kPs256, JwsAlg::kEdDsa}) {
    EXPECT_EQ(ec.CheckFits(alg).error().code, ErrorCode::kKeyMismatch) << JwsAlgName(alg);
  }
  auto rsa = Jwk::FromJson(LoadVectors("rfc7515_a2_rs256.json")["jwk"]).value();
  EXPECT_TRUE(rsa.CheckFits(JwsAlg::kRs256));
  EXPECT_TRUE(rsa.CheckFits(JwsAlg::kPs256));
  EXPECT_FALSE(rsa.CheckFits(JwsAlg::kEs256));
  auto rs256_only = Jwk::FromJson(LoadVectors("rfc7638_thumbprint.json")["jwk"]).value();
  EXPECT_EQ(rs256_only.CheckFits(JwsAlg::kPs256).error().code, ErrorCode::kKeyMismatch);
  core::Json enc = P256Jwk();
  enc["use"] = "enc";
  EXPECT_EQ(Jwk::FromJson(enc)->CheckFits(JwsAlg::kEs256).error().code, ErrorCode::kKeyMismatch);
}

TEST(ParseJwsAlg, AcceptsTheFourAlgorithmsAndRefusesNoneInAnyCase) {
  for (JwsAlg alg : {JwsAlg::kEs256, JwsAlg::kRs256, JwsAlg::kPs256, JwsAlg::kEdDsa}) {
    EXPECT_EQ(ParseJwsAlg(JwsAlgName(alg)).value(), alg);
  }
  for (const char* none : {"none", "None", "NONE", "nOnE"}) {
    EXPECT_EQ(ParseJwsAlg(none).error().code, ErrorCode::kAlgorithmNotAllowed) << none;
  }
  for (const char* other : {"HS256", "ES384", "RS512", "es256", "", "EdDSA "}) {
    EXPECT_EQ(ParseJwsAlg(other).error().code, ErrorCode::kUnsupportedAlgorithm) << other;
  }
}

TEST(JwkSet, SkipsKeysItCannotUseAndRoundTrips) {
  core::Json p384 = P256Jwk();
  p384["crv"] = "P-384";
  core::Json jwks = {{"keys",
                      {LoadVectors("rfc7638_thumbprint.json")["jwk"],
                       {{"kty", "oct"}, {"k", "AAAA"}},
                       p384,
                       {{"kty", "EC"}, {"crv", "P-256"}},
                       "not a key",
                       LoadVectors("rfc8037_ed25519.json")["jwk"]}}};
  auto set = JwkSet::FromJson(jwks);
  ASSERT_TRUE(set);
  ASSERT_EQ(set->keys().size(), 2u);
  EXPECT_EQ(set->keys()[0].kid(), "2011-04-29");
  auto again = JwkSet::FromJson(set->ToJson());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->ToJson(), set->ToJson());
}

TEST(JwkSet, RejectsDocumentsWithoutKeysArray) {
  EXPECT_EQ(JwkSet::FromJson(core::Json::object()).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(JwkSet::FromJson({{"keys", "x"}}).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(JwkSet::FromJson(core::Json::array()).error().code, ErrorCode::kMalformed);
}

TEST(JwkSet, CandidatesMatchKidAndAlg) {
  JwkSet set;
  set.Add(Jwk::FromJson(LoadVectors("rfc7638_thumbprint.json")["jwk"]).value());  // RS256 only
  set.Add(Jwk::FromJson(LoadVectors("rfc7515_a2_rs256.json")["jwk"]).value());    // any RSA alg
  set.Add(Jwk::FromJson(P256Jwk()).value());
  EXPECT_EQ(set.Candidates("2011-04-29", JwsAlg::kRs256).size(), 1u);
  EXPECT_EQ(set.Candidates("2011-04-29", JwsAlg::kPs256).size(), 0u);
  EXPECT_EQ(set.Candidates("", JwsAlg::kRs256).size(), 2u);
  EXPECT_EQ(set.Candidates("", JwsAlg::kPs256).size(), 1u);
  EXPECT_EQ(set.Candidates("", JwsAlg::kEs256).size(), 1u);
  EXPECT_EQ(set.Candidates("unknown", JwsAlg::kEs256).size(), 0u);
  EXPECT_EQ(set.Candidates("", JwsAlg::kEdDsa).size(), 0u);
}

}  // namespace
}  // namespace idm::crypto
