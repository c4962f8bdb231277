#include "idm/crypto/signing_key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "idm/crypto/encoding.h"
#include "idm/crypto/jws.h"
#include "tests/unit/crypto/jose_util.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;
using testing::MustGenerate;
using testing::TestKey;

constexpr JwsAlg kAllAlgs[] = {JwsAlg::kEs256, JwsAlg::kRs256, JwsAlg::kPs256, JwsAlg::kEdDsa};

// PKCS#8 DER of a key OpenSSL generates directly, for key types idm must refuse.
std::string ForeignPkcs8(EVP_PKEY* pkey) {
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(pkey);
  int len = i2d_PKCS8_PRIV_KEY_INFO(info, nullptr);
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_PKCS8_PRIV_KEY_INFO(info, &p);
  PKCS8_PRIV_KEY_INFO_free(info);
  EVP_PKEY_free(pkey);
  return der;
}

TEST(SigningKey, GeneratesEveryAlgorithmWithThumbprintKidAndSigUse) {
  struct Expect {
    JwsAlg alg;
    const char* kty;
    size_t sig_bytes;
  } cases[] = {{JwsAlg::kEs256, "EC", 64},
               {JwsAlg::kRs256, "RSA", 256},
               {JwsAlg::kPs256, "RSA", 256},
               {JwsAlg::kEdDsa, "OKP", 64}};
  for (const auto& c : cases) {
    SigningKey key = MustGenerate(c.alg);
    core::Json jwk = key.public_jwk().ToJson();
    EXPECT_EQ(jwk["kty"], c.kty) << JwsAlgName(c.alg);
    EXPECT_EQ(jwk["alg"], JwsAlgName(c.alg));
    EXPECT_EQ(jwk["use"], "sig");
    EXPECT_EQ(key.kid(), key.public_jwk().Thumbprint());
    EXPECT_EQ(key.Sign("input").value().size(), c.sig_bytes) << JwsAlgName(c.alg);
    if (c.alg == JwsAlg::kRs256 || c.alg == JwsAlg::kPs256) {
      EXPECT_EQ(Base64UrlDecode(jwk["n"].get<std::string>())->size(), 256u);
      EXPECT_EQ(jwk["e"], "AQAB");
    }
  }
}

TEST(SigningKey, Pkcs8RoundTripKeepsTheKey) {
  for (JwsAlg alg : kAllAlgs) {
    const SigningKey& key = TestKey(alg);
    std::string der = key.ToPkcs8Der();
    auto loaded = SigningKey::FromPkcs8Der(der, alg);
    ASSERT_TRUE(loaded) << JwsAlgName(alg) << ": " << loaded.error().message;
    EXPECT_EQ(loaded->kid(), key.kid());
    EXPECT_EQ(loaded->public_jwk().ToJson(), key.public_jwk().ToJson());
    EXPECT_EQ(loaded->ToPkcs8Der(), der);
    auto named = SigningKey::FromPkcs8Der(der, alg, "2026-key-1");
    ASSERT_TRUE(named);
    EXPECT_EQ(named->kid(), "2026-key-1");
    std::string jws = JwsSign(*loaded, "payload").value();
    JwsAlg allowed[] = {alg};
    EXPECT_TRUE(JwsVerify(jws, key.public_jwk(), allowed)) << JwsAlgName(alg);
  }
}

TEST(SigningKey, FromPkcs8DerRejectsGarbageTruncationAndTrailingBytes) {
  std::string der = TestKey(JwsAlg::kEs256).ToPkcs8Der();
  for (const std::string& bad :
       {std::string(), std::string("not der"), der.substr(0, der.size() - 1),
        der + std::string(1, '\0'), der.substr(1)}) {
    auto r = SigningKey::FromPkcs8Der(bad, JwsAlg::kEs256);
    ASSERT_FALSE(r) << bad.size();
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidKey);
  }
}

TEST(SigningKey, FromPkcs8DerRejectsKeysThatDoNotFitTheAlgorithm) {
  std::string ec = TestKey(JwsAlg::kEs256).ToPkcs8Der();
  std::string rsa = TestKey(JwsAlg::kRs256).ToPkcs8Der();
  EXPECT_EQ(SigningKey::FromPkcs8Der(ec, JwsAlg::kRs256).error().code, ErrorCode::kKeyMismatch);
  EXPECT_EQ(SigningKey::FromPkcs8Der(ec, JwsAlg::kEdDsa).error().code, ErrorCode::kKeyMismatch);
  EXPECT_EQ(SigningKey::FromPkcs8Der(rsa, JwsAlg::kEs256).error().code, ErrorCode::kKeyMismatch);
  EXPECT_TRUE(SigningKey::FromPkcs8Der(rsa, JwsAlg::kPs256));
  std::string p384 = ForeignPkcs8(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  EXPECT_EQ(SigningKey::FromPkcs8Der(p384, JwsAlg::kEs256).error().code, ErrorCode::kKeyMismatch);
  std::string rsa1024 = ForeignPkcs8(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024}));
  EXPECT_EQ(SigningKey::FromPkcs8Der(rsa1024, JwsAlg::kRs256).error().code, ErrorCode::kInvalidKey);
}

TEST(SigningKey, Rs256SignatureMatchesRfc7515AppendixA2) {
  auto v = LoadVectors("rfc7515_a2_rs256.json");
  auto key = SigningKey::FromJwk(v["jwk"], JwsAlg::kRs256);
  ASSERT_TRUE(key) << key.error().message;
  std::string jws = v["jws"];
  std::string input = jws.substr(0, jws.rfind('.'));
  // RSASSA-PKCS1-v1_5 is deterministic, so the signature must be the RFC's byte for byte.
  EXPECT_EQ(Base64UrlEncode(key->Sign(input).value()), jws.substr(jws.rfind('.') + 1));
}

TEST(SigningKey, Ed25519SignatureMatchesRfc8037AppendixA4) {
  auto v = LoadVectors("rfc8037_ed25519.json");
  auto key = SigningKey::FromJwk(v["jwk"], JwsAlg::kEdDsa);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->kid(), v["thumbprint"].get<std::string>());
  std::string jws = v["jws"];
  std::string input = jws.substr(0, jws.rfind('.'));
  EXPECT_EQ(input, Base64UrlEncode(v["protected_header"].get<std::string>()) + "." +
                       Base64UrlEncode(v["payload"].get<std::string>()));
  EXPECT_EQ(Base64UrlEncode(key->Sign(input).value()), jws.substr(jws.rfind('.') + 1));
}

TEST(SigningKey, Es256KeyFromRfc7515AppendixA3SignsVerifiably) {
  auto v = LoadVectors("rfc7515_a3_es256.json");
  auto key = SigningKey::FromJwk(v["jwk"], JwsAlg::kEs256);
  ASSERT_TRUE(key) << key.error().message;
  auto pub = Jwk::FromJson(v["jwk"]).value();
  JwsAlg allowed[] = {JwsAlg::kEs256};
  EXPECT_TRUE(JwsVerify(JwsSign(*key, "hello").value(), pub, allowed));
}

TEST(SigningKey, FromJwkRejectsInconsistentOrIncompletePrivateKeys) {
  auto ed = LoadVectors("rfc8037_ed25519.json")["jwk"];
  auto ec = LoadVectors("rfc7515_a3_es256.json")["jwk"];
  auto rsa = LoadVectors("rfc7515_a2_rs256.json")["jwk"];
  core::Json ed_other_x = ed, ec_other_d = ec, rsa_no_crt = rsa, no_d = ec;
  ed_other_x["x"] = LoadVectors("rfc7515_a3_es256.json")["jwk"]["x"];
  std::string d = *Base64UrlDecode(ec["d"].get<std::string>());
  d[31] = static_cast<char>(d[31] ^ 1);
  ec_other_d["d"] = Base64UrlEncode(d);
  rsa_no_crt.erase("qi");
  no_d.erase("d");
  EXPECT_EQ(SigningKey::FromJwk(ed_other_x, JwsAlg::kEdDsa).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(SigningKey::FromJwk(ec_other_d, JwsAlg::kEs256).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(SigningKey::FromJwk(rsa_no_crt, JwsAlg::kRs256).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(SigningKey::FromJwk(no_d, JwsAlg::kEs256).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(SigningKey::FromJwk(ec).error().code, ErrorCode::kMalformed);  // no alg anywhere
  EXPECT_EQ(SigningKey::FromJwk(ec, JwsAlg::kRs256).error().code, ErrorCode::kKeyMismatch);
  core::Json ec_with_alg = ec;
  ec_with_alg["alg"] = "ES256";
  EXPECT_TRUE(SigningKey::FromJwk(ec_with_alg));
}

}  // namespace
}  // namespace idm::crypto
