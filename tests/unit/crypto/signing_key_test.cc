#include "idm/crypto/signing_key.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
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

// The PKCS#8 DER of a P-256 "key pair" whose public point is not d·G (OpenSSL builds it without
// checking); what a damaged or tampered key file would hold.
std::string InconsistentEs256Pkcs8() {
  auto ec = LoadVectors("rfc7515_a3_es256.json")["jwk"];
  std::string d = *Base64UrlDecode(ec["d"].get<std::string>());
  d[31] = static_cast<char>(d[31] ^ 1);
  std::string point = "\x04" + *Base64UrlDecode(ec["x"].get<std::string>()) +
                      *Base64UrlDecode(ec["y"].get<std::string>());
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  BIGNUM* priv = BN_bin2bn(reinterpret_cast<const unsigned char*>(d.data()),
                           static_cast<int>(d.size()), nullptr);
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  std::string der;
  if (EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) == 1) {
    PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(pkey);
    unsigned char* out = nullptr;
    int n = info != nullptr ? i2d_PKCS8_PRIV_KEY_INFO(info, &out) : 0;
    if (n > 0) der.assign(reinterpret_cast<char*>(out), static_cast<size_t>(n));
    OPENSSL_free(out);
    PKCS8_PRIV_KEY_INFO_free(info);
  }
  EVP_PKEY_free(pkey);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  BN_free(priv);
  OSSL_PARAM_BLD_free(bld);
  return der;
}

TEST(SigningKey, FromPkcs8DerChecksAnExternalKeyButNotOneIdmSealedItself) {
  const std::string bad = InconsistentEs256Pkcs8();
  ASSERT_FALSE(bad.empty());
  auto external = SigningKey::FromPkcs8Der(bad, JwsAlg::kEs256);
  ASSERT_FALSE(external);
  EXPECT_EQ(external.error().code, ErrorCode::kInvalidKey);
  // A sealed key was checked when it was made; the KEK's AEAD vouches for the bytes since.
  EXPECT_TRUE(SigningKey::FromPkcs8Der(bad, JwsAlg::kEs256, "k", SigningKey::Origin::kSealedByIdm));
  for (JwsAlg alg : kAllAlgs) {
    const SigningKey& key = TestKey(alg);
    auto sealed =
        SigningKey::FromPkcs8Der(key.ToPkcs8Der(), alg, {}, SigningKey::Origin::kSealedByIdm);
    ASSERT_TRUE(sealed) << JwsAlgName(alg);
    JwsAlg allowed[] = {alg};
    EXPECT_TRUE(JwsVerify(JwsSign(*sealed, "payload").value(), key.public_jwk(), allowed));
  }
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

TEST(SigningKey, ReusedSigningContextsSignEveryInputAfresh) {
  // Signatures after the first reuse a pooled context (signature.h, SignerPool): each must still
  // be over its own input, with a fresh ECDSA nonce, and the key must still sign once moved.
  for (JwsAlg alg : kAllAlgs) {
    SigningKey moved = MustGenerate(alg);
    SigningKey key = std::move(moved);
    JwsAlg allowed[] = {alg};
    std::vector<std::string> sigs;
    for (int i = 0; i < 4; ++i) {
      std::string jws = JwsSign(key, "payload " + std::to_string(i % 2)).value();
      auto r = JwsVerify(jws, key.public_jwk(), allowed);
      ASSERT_TRUE(r) << JwsAlgName(alg) << " signature " << i;
      EXPECT_EQ(r->payload, "payload " + std::to_string(i % 2));
      sigs.push_back(jws.substr(jws.rfind('.') + 1));
    }
    EXPECT_NE(sigs[0], sigs[1]) << JwsAlgName(alg);
    // Same input: PKCS#1 v1.5 and Ed25519 are deterministic; ECDSA and PSS are randomised.
    bool deterministic = alg == JwsAlg::kRs256 || alg == JwsAlg::kEdDsa;
    EXPECT_EQ(sigs[0] == sigs[2], deterministic) << JwsAlgName(alg);
  }
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
