#include "idm/crypto/hkdf.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;
using testing::Unhex;

TEST(Hkdf, MatchesRfc5869AppendixATestCases) {
  auto v = LoadVectors("rfc5869_hkdf_sha256.json");
  ASSERT_EQ(v["cases"].size(), 3u);
  for (const auto& c : v["cases"]) {
    std::string prk = HkdfExtract(Unhex(c["salt"]), Unhex(c["ikm"]));
    EXPECT_EQ(HexEncode(prk), c["prk"].get<std::string>()) << c["name"];
    auto okm = HkdfExpand(prk, Unhex(c["info"]), c["length"]);
    ASSERT_TRUE(okm) << c["name"];
    EXPECT_EQ(HexEncode(*okm), c["okm"].get<std::string>()) << c["name"];
    auto one_shot = HkdfSha256(Unhex(c["ikm"]), Unhex(c["salt"]), Unhex(c["info"]), c["length"]);
    ASSERT_TRUE(one_shot) << c["name"];
    EXPECT_EQ(*one_shot, *okm) << c["name"];
  }
}

TEST(Hkdf, RejectsOutputLongerThan255BlocksOrEmpty) {
  EXPECT_TRUE(HkdfSha256("ikm", "salt", "info", 255 * 32));
  auto too_long = HkdfSha256("ikm", "salt", "info", 255 * 32 + 1);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kMalformed);
  auto empty = HkdfSha256("ikm", "salt", "info", 0);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kMalformed);
}

TEST(Hkdf, RejectsShortPseudorandomKey) {
  auto r = HkdfExpand(std::string(31, 'k'), "info", 32);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidKey);
}

TEST(Hkdf, DifferentInfoGivesIndependentKeys) {
  auto a = HkdfSha256("ikm", "salt", "purpose a", 32);
  auto b = HkdfSha256("ikm", "salt", "purpose b", 32);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace idm::crypto
