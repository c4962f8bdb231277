#include "idm/crypto/jws.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "tests/unit/crypto/jose_util.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;
using testing::MakeJws;
using testing::TestKey;

constexpr JwsAlg kAll[] = {JwsAlg::kEs256, JwsAlg::kRs256, JwsAlg::kPs256, JwsAlg::kEdDsa};

Jwk PublicOf(const char* file) { return Jwk::FromJson(LoadVectors(file)["jwk"]).value(); }

TEST(JwsVerify, AcceptsRfc7515AppendixA2Rs256) {
  auto v = LoadVectors("rfc7515_a2_rs256.json");
  JwsAlg allowed[] = {JwsAlg::kRs256};
  auto r = JwsVerify(v["jws"].get<std::string>(), PublicOf("rfc7515_a2_rs256.json"), allowed);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->alg, JwsAlg::kRs256);
  EXPECT_EQ(core::Json::parse(r->payload), v["payload_claims"]);
}

TEST(JwsVerify, AcceptsRfc7515AppendixA3Es256) {
  auto v = LoadVectors("rfc7515_a3_es256.json");
  JwsAlg allowed[] = {JwsAlg::kEs256};
  auto r = JwsVerify(v["jws"].get<std::string>(), PublicOf("rfc7515_a3_es256.json"), allowed);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(core::Json::parse(r->payload), v["payload_claims"]);
}

TEST(JwsVerify, AcceptsRfc8037AppendixA5Ed25519) {
  auto v = LoadVectors("rfc8037_ed25519.json");
  JwsAlg allowed[] = {JwsAlg::kEdDsa};
  auto r = JwsVerify(v["jws"].get<std::string>(), PublicOf("rfc8037_ed25519.json"), allowed);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->payload, v["payload"].get<std::string>());
}

TEST(JwsVerify, RejectsTamperedPayloadAndSignatureForEveryAlgorithm) {
  for (JwsAlg alg : kAll) {
    const SigningKey& key = TestKey(alg);
    std::string jws = JwsSign(key, "{\"sub\":\"alice\"}").value();
    size_t dot1 = jws.find('.'), dot2 = jws.rfind('.');
    std::string other_payload =
        jws.substr(0, dot1 + 1) + Base64UrlEncode("{\"sub\":\"admin\"}") + jws.substr(dot2);
    std::string sig = *Base64UrlDecode(jws.substr(dot2 + 1));
    std::string flipped = sig;
    flipped[sig.size() / 2] = static_cast<char>(flipped[sig.size() / 2] ^ 0x01);
    std::string other_key_sig = JwsSign(TestKey(alg, 1), "{\"sub\":\"alice\"}").value();
    for (const std::string& bad :
         {other_payload, jws.substr(0, dot2 + 1) + Base64UrlEncode(flipped),
          jws.substr(0, dot2 + 1) + Base64UrlEncode(sig.substr(0, sig.size() - 1)),
          jws.substr(0, dot2 + 1) + Base64UrlEncode(sig + "x"), jws.substr(0, dot2 + 1),
          jws.substr(0, dot2) + other_key_sig.substr(other_key_sig.rfind('.'))}) {
      JwsAlg allowed[] = {alg};
      auto r = JwsVerify(bad, key.public_jwk(), allowed);
      ASSERT_FALSE(r) << JwsAlgName(alg) << " accepted " << bad;
      EXPECT_EQ(r.error().code, ErrorCode::kBadSignature) << JwsAlgName(alg);
    }
  }
}

TEST(JwsVerify, RejectsAlgNoneWhateverTheAllowList) {
  const SigningKey& key = TestKey(JwsAlg::kEs256);
  std::string payload = Base64UrlEncode("{\"sub\":\"admin\"}");
  for (const char* none : {"none", "None", "NONE"}) {
    std::string header = Base64UrlEncode(std::string("{\"alg\":\"") + none + "\"}");
    for (const std::string& sig : {std::string(), Base64UrlEncode(key.Sign("x").value())}) {
      auto r = JwsVerify(header + "." + payload + "." + sig, key.public_jwk(), kAll);
      ASSERT_FALSE(r) << none;
      EXPECT_EQ(r.error().code, ErrorCode::kAlgorithmNotAllowed) << none;
    }
  }
}

TEST(JwsVerify, RejectsAlgorithmsOutsideTheAllowList) {
  const SigningKey& key = TestKey(JwsAlg::kRs256);
  std::string jws = JwsSign(key, "p").value();
  JwsAlg only_es256[] = {JwsAlg::kEs256};
  EXPECT_EQ(JwsVerify(jws, key.public_jwk(), only_es256).error().code,
            ErrorCode::kAlgorithmNotAllowed);
  EXPECT_EQ(JwsVerify(jws, key.public_jwk(), std::span<const JwsAlg>()).error().code,
            ErrorCode::kAlgorithmNotAllowed);
}

TEST(JwsVerify, RejectsHs256SignedWithThePublicRsaKeyAsSecret) {
  // The classic alg-confusion attack: the attacker HMACs with the server's public key bytes.
  Jwk rsa = PublicOf("rfc7515_a2_rs256.json");
  std::string input =
      Base64UrlEncode("{\"alg\":\"HS256\"}") + "." + Base64UrlEncode("{\"sub\":\"admin\"}");
  for (const std::string& secret :
       {rsa.ToJson().dump(), *Base64UrlDecode(rsa.ToJson()["n"].get<std::string>())}) {
    std::string jws = input + "." + Base64UrlEncode(HmacSha256(secret, input));
    auto r = JwsVerify(jws, rsa, kAll);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedAlgorithm);
  }
}

TEST(JwsVerify, RejectsKeysWhoseTypeOrCurveDoesNotFitTheAlg) {
  const SigningKey& rsa = TestKey(JwsAlg::kRs256);
  const SigningKey& ec = TestKey(JwsAlg::kEs256);
  const SigningKey& ed = TestKey(JwsAlg::kEdDsa);
  struct Case {
    const char* name;
    std::string jws;
    const Jwk& key;
  } cases[] = {
      {"RS256 token, EC key", JwsSign(rsa, "p").value(), ec.public_jwk()},
      {"ES256 token, RSA key", JwsSign(ec, "p").value(), rsa.public_jwk()},
      {"ES256 token, Ed25519 key", JwsSign(ec, "p").value(), ed.public_jwk()},
      {"EdDSA token, EC key", JwsSign(ed, "p").value(), ec.public_jwk()},
      {"ES256 header over an Ed25519 signature", MakeJws(ed, "{\"alg\":\"ES256\"}", "p"),
       ed.public_jwk()},
      {"PS256 header, key pinned to RS256", MakeJws(rsa, "{\"alg\":\"PS256\"}", "p"),
       rsa.public_jwk()},
  };
  for (const auto& c : cases) {
    auto r = JwsVerify(c.jws, c.key, kAll);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kKeyMismatch) << c.name;
  }
}

TEST(JwsVerify, NeverUsesKeysOnOtherCurves) {
  core::Json p384 = {{"kty", "EC"},
                     {"crv", "P-384"},
                     {"x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
                     {"y", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}};
  EXPECT_EQ(Jwk::FromJson(p384).error().code, ErrorCode::kUnsupportedAlgorithm);
  auto set = JwkSet::FromJson({{"keys", {p384}}}).value();
  const SigningKey& ec = TestKey(JwsAlg::kEs256);
  EXPECT_EQ(JwsVerify(JwsSign(ec, "p").value(), set, kAll).error().code, ErrorCode::kKeyNotFound);
}

TEST(JwsVerify, RejectsCriticalHeaderExtensions) {
  const SigningKey& key = TestKey(JwsAlg::kEs256);
  std::string jws = MakeJws(key, "{\"alg\":\"ES256\",\"b64\":false,\"crit\":[\"b64\"]}", "p");
  EXPECT_EQ(JwsVerify(jws, key.public_jwk(), kAll).error().code, ErrorCode::kMalformed);
}

TEST(JwsVerify, RejectsMalformedCompactSerializations) {
  const SigningKey& key = TestKey(JwsAlg::kEs256);
  std::string jws = JwsSign(key, "p").value();
  size_t dot = jws.find('.');
  struct Case {
    const char* name;
    std::string jws;
  } cases[] = {
      {"empty", ""},
      {"one part", jws.substr(0, dot)},
      {"two parts", jws.substr(0, jws.rfind('.'))},
      {"four parts", jws + ".x"},
      {"padding", jws + "="},
      {"standard base64 alphabet", "+" + jws.substr(1)},
      {"space", " " + jws},
      {"header not JSON", Base64UrlEncode("{alg:ES256") + jws.substr(dot)},
      {"header a JSON array", Base64UrlEncode("[\"ES256\"]") + jws.substr(dot)},
      {"header without alg", MakeJws(key, "{\"kid\":\"k\"}", "p")},
      {"alg not a string", MakeJws(key, "{\"alg\":7}", "p")},
      {"kid not a string", MakeJws(key, "{\"alg\":\"ES256\",\"kid\":7}", "p")},
  };
  for (const auto& c : cases) {
    auto r = JwsVerify(c.jws, key.public_jwk(), kAll);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformed) << c.name << ": " << r.error().message;
  }
}

TEST(JwsSign, SetsAlgAndKidOverridingTheCallersHeader) {
  const SigningKey& key = TestKey(JwsAlg::kEdDsa);
  auto jws = JwsSign(key, "payload", {{"typ", "at+jwt"}, {"alg", "none"}, {"kid", "spoof"}});
  ASSERT_TRUE(jws);
  auto parsed = JwsParseUnverified(*jws).value();
  EXPECT_EQ(parsed.header, core::Json({{"alg", "EdDSA"}, {"kid", key.kid()}, {"typ", "at+jwt"}}));
  EXPECT_EQ(parsed.payload, "payload");
  EXPECT_EQ(JwsSign(key, "p", core::Json::array()).error().code, ErrorCode::kMalformed);
}

TEST(JwsSignTyped, WritesExactlyAlgKidAndTypAndVerifiesForEveryAlgorithm) {
  for (JwsAlg alg : kAll) {
    const SigningKey& key = TestKey(alg);
    for (std::string_view typ : {"at+jwt", ""}) {
      std::string jws = JwsSignTyped(key, "{\"sub\":\"alice\"}", typ).value();
      JwsAlg allowed[] = {alg};
      auto r = JwsVerify(jws, key.public_jwk(), allowed);
      ASSERT_TRUE(r) << JwsAlgName(alg) << ": " << r.error().message;
      core::Json expected = {{"alg", JwsAlgName(alg)}, {"kid", key.kid()}};
      if (!typ.empty()) expected["typ"] = typ;
      EXPECT_EQ(r->header, expected) << JwsAlgName(alg) << " typ '" << typ << "'";
      EXPECT_EQ(r->payload, "{\"sub\":\"alice\"}");
    }
  }
}

TEST(JwsVerify, ChoosesTheKeyFromASetByKidAndAlg) {
  const SigningKey& old_key = TestKey(JwsAlg::kEs256, 0);
  const SigningKey& new_key = TestKey(JwsAlg::kEs256, 1);
  const SigningKey& rsa = TestKey(JwsAlg::kRs256);
  JwkSet set;
  for (const SigningKey* k : {&old_key, &new_key, &rsa}) set.Add(k->public_jwk());
  for (const SigningKey* k : {&old_key, &new_key, &rsa}) {
    auto r = JwsVerify(JwsSign(*k, "p").value(), set, kAll);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->kid, k->kid());
  }
  // Without a kid every key that fits the alg is tried.
  auto no_kid = JwsVerify(MakeJws(new_key, "{\"alg\":\"ES256\"}", "p"), set, kAll);
  ASSERT_TRUE(no_kid);
  EXPECT_EQ(no_kid->kid, new_key.kid());
  const SigningKey& stranger = TestKey(JwsAlg::kEs256, 2);
  EXPECT_EQ(JwsVerify(JwsSign(stranger, "p").value(), set, kAll).error().code,
            ErrorCode::kKeyNotFound);
  EXPECT_EQ(JwsVerify(MakeJws(stranger, "{\"alg\":\"ES256\"}", "p"), set, kAll).error().code,
            ErrorCode::kBadSignature);
  // A kid that names a key of another type is not a candidate.
  std::string mislabelled =
      MakeJws(new_key, "{\"alg\":\"ES256\",\"kid\":\"" + rsa.kid() + "\"}", "p");
  EXPECT_EQ(JwsVerify(mislabelled, set, kAll).error().code, ErrorCode::kKeyNotFound);
}

TEST(JwsSign, IsSafeToUseFromManyThreadsWithOneKey) {
  const SigningKey& key = TestKey(JwsAlg::kEs256);
  Jwk copy = key.public_jwk();  // copies share the EVP_PKEY
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string payload = std::to_string(t) + ":" + std::to_string(i);
        auto jws = JwsSign(key, payload);
        auto r = jws ? JwsVerify(*jws, copy, kAll) : JwsVerify("", copy, kAll);
        if (r && r->payload == payload) ++ok[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(ok[t], 50) << "thread " << t;
}

}  // namespace
}  // namespace idm::crypto
