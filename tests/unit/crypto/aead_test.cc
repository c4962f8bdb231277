#include "idm/crypto/aead.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "idm/crypto/secure_random.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;
using testing::Unhex;

TEST(AesGcm, MatchesGcmSpecificationAes256TestCases) {
  auto v = LoadVectors("gcm_spec_aes256.json");
  ASSERT_EQ(v["cases"].size(), 4u);
  for (const auto& c : v["cases"]) {
    std::string key = Unhex(c["key"]), iv = Unhex(c["iv"]), aad = Unhex(c["aad"]);
    std::string expected = iv + Unhex(c["ciphertext"]) + Unhex(c["tag"]);
    auto sealed = AesGcmSealWithNonce(key, iv, Unhex(c["plaintext"]), aad);
    ASSERT_TRUE(sealed) << c["name"];
    EXPECT_EQ(HexEncode(*sealed), HexEncode(expected)) << c["name"];
    auto opened = AesGcmOpen(key, expected, aad);
    ASSERT_TRUE(opened) << c["name"];
    EXPECT_EQ(*opened, Unhex(c["plaintext"])) << c["name"];
  }
}

class AesGcmRoundTrip : public ::testing::Test {
 protected:
  SecureRandom random_;
  std::string key_ = random_.Bytes(32);
};

TEST_F(AesGcmRoundTrip, SealsWithFreshNonceAndOpens) {
  auto a = AesGcmSeal(key_, "secret", "aad", random_);
  auto b = AesGcmSeal(key_, "secret", "aad", random_);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 12u + 6u + 16u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(AesGcmOpen(key_, *a, "aad").value(), "secret");
  EXPECT_EQ(AesGcmOpen(key_, *b, "aad").value(), "secret");
}

TEST_F(AesGcmRoundTrip, FailsOnEveryFlippedBit) {
  std::string sealed = AesGcmSeal(key_, "payload", "aad", random_).value();
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto r = AesGcmOpen(key_, tampered, "aad");
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().code, ErrorCode::kDecryptFailed);
  }
}

TEST_F(AesGcmRoundTrip, FailsWithWrongKeyOrAad) {
  std::string sealed = AesGcmSeal(key_, "payload", "aad", random_).value();
  EXPECT_EQ(AesGcmOpen(random_.Bytes(32), sealed, "aad").error().code, ErrorCode::kDecryptFailed);
  EXPECT_EQ(AesGcmOpen(key_, sealed, "aae").error().code, ErrorCode::kDecryptFailed);
  EXPECT_EQ(AesGcmOpen(key_, sealed, "").error().code, ErrorCode::kDecryptFailed);
}

TEST_F(AesGcmRoundTrip, RejectsTruncatedInput) {
  std::string sealed = AesGcmSeal(key_, "", "", random_).value();
  ASSERT_EQ(sealed.size(), 28u);
  EXPECT_TRUE(AesGcmOpen(key_, sealed, ""));
  EXPECT_EQ(AesGcmOpen(key_, sealed.substr(0, 27), "").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(AesGcmOpen(key_, "", "").error().code, ErrorCode::kMalformed);
  std::string longer = AesGcmSeal(key_, "abc", "", random_).value();
  EXPECT_EQ(AesGcmOpen(key_, longer.substr(0, longer.size() - 1), "").error().code,
            ErrorCode::kDecryptFailed);
}

TEST_F(AesGcmRoundTrip, RejectsWrongKeyAndNonceSizes) {
  EXPECT_EQ(AesGcmSeal(std::string(16, 'k'), "p", "", random_).error().code,
            ErrorCode::kInvalidKey);
  EXPECT_EQ(AesGcmOpen(std::string(31, 'k'), std::string(40, 'x'), "").error().code,
            ErrorCode::kInvalidKey);
  EXPECT_EQ(AesGcmSealWithNonce(key_, std::string(16, 'n'), "p", "").error().code,
            ErrorCode::kMalformed);
}

}  // namespace
}  // namespace idm::crypto
