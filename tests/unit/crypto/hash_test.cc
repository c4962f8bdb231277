#include "idm/crypto/hash.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;
using testing::Unhex;

TEST(Sha256, MatchesFips180_2AppendixBExamples) {
  auto v = LoadVectors("fips180-2_sha256.json");
  ASSERT_EQ(v["cases"].size(), 3u);
  for (const auto& c : v["cases"]) {
    std::string message;
    std::string unit = c["message"];
    for (int i = 0; i < c["repeat"].get<int>(); ++i) message += unit;
    EXPECT_EQ(HexEncode(Sha256(message)), c["digest"].get<std::string>()) << c["name"];
  }
}

TEST(Sha256, HashesTheEmptyString) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HmacSha256, MatchesRfc4231TestCases) {
  auto v = LoadVectors("rfc4231_hmac_sha256.json");
  ASSERT_EQ(v["cases"].size(), 7u);
  for (const auto& c : v["cases"]) {
    std::string mac = HmacSha256(Unhex(c["key"]), Unhex(c["data"]));
    ASSERT_EQ(mac.size(), 32u);
    size_t truncate = c["truncate_bytes"];
    if (truncate != 0) mac.resize(truncate);
    EXPECT_EQ(HexEncode(mac), c["mac"].get<std::string>()) << c["name"];
  }
}

TEST(HmacSha256, AcceptsAnEmptyKeyAndDiffersFromAnotherKey) {
  EXPECT_EQ(HmacSha256("", "data").size(), 32u);
  EXPECT_NE(HmacSha256("", "data"), HmacSha256("k", "data"));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "xbc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace idm::crypto
