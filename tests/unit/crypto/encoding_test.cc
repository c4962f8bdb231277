#include "idm/crypto/encoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

TEST(Base64, MatchesRfc4648Section10Vectors) {
  auto v = LoadVectors("rfc4648_section10.json");
  for (const auto& c : v["base64"]) {
    std::string in = c["in"], out = c["out"];
    EXPECT_EQ(Base64Encode(in), out) << in;
    EXPECT_EQ(Base64Decode(out), in) << out;
  }
}

TEST(Base16, MatchesRfc4648Section10VectorsInLowerCaseAndAcceptsUpperCase) {
  auto v = LoadVectors("rfc4648_section10.json");
  for (const auto& c : v["base16"]) {
    std::string in = c["in"], out = c["out"];
    EXPECT_EQ(HexEncode(in), Lower(out)) << in;
    EXPECT_EQ(HexDecode(out), in) << out;
    EXPECT_EQ(HexDecode(Lower(out)), in) << out;
  }
}

TEST(Base64Url, IsUnpaddedBase64WithUrlAlphabet) {
  auto v = LoadVectors("rfc4648_section10.json");
  for (const auto& c : v["base64"]) {
    std::string in = c["in"], padded = c["out"];
    std::string unpadded = padded.substr(0, padded.find('='));
    EXPECT_EQ(Base64UrlEncode(in), unpadded) << in;
    EXPECT_EQ(Base64UrlDecode(unpadded), in) << unpadded;
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(Base64Encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(Base64UrlDecode("-_-_"), "\xfb\xff\xbf");
}

TEST(Base64Url, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 37) {
    std::string in = all.substr(0, n);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(in)), in) << n;
    EXPECT_EQ(Base64Decode(Base64Encode(in)), in) << n;
  }
}

TEST(Base64Url, RejectsPaddingStandardAlphabetAndGarbage) {
  EXPECT_FALSE(Base64UrlDecode("Zg=="));
  EXPECT_FALSE(Base64UrlDecode("+/+/"));
  EXPECT_FALSE(Base64UrlDecode("Zm9v YmFy"));
  EXPECT_FALSE(Base64UrlDecode("Zm9v\n"));
  EXPECT_FALSE(Base64UrlDecode("Zm9vY"));  // 1 mod 4 characters cannot encode whole bytes
  EXPECT_FALSE(Base64UrlDecode(std::string_view("Zm\0v", 4)));
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
  // "Zg" is the only encoding of "f"; "Zh" differs only in bits that should be zero.
  EXPECT_TRUE(Base64UrlDecode("Zg"));
  EXPECT_FALSE(Base64UrlDecode("Zh"));
  EXPECT_FALSE(Base64UrlDecode("Zm9"));
}

TEST(Base64, RejectsMissingMisplacedOrExcessPadding) {
  EXPECT_FALSE(Base64Decode("Zg"));
  EXPECT_FALSE(Base64Decode("Zg="));
  EXPECT_FALSE(Base64Decode("Z==="));
  EXPECT_FALSE(Base64Decode("Zg==Zg=="));
  EXPECT_FALSE(Base64Decode("Z=g="));
  EXPECT_FALSE(Base64Decode("-_-_"));
  EXPECT_FALSE(Base64Decode("Zh=="));
}

TEST(Hex, RejectsOddLengthAndNonHexDigits) {
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
  EXPECT_FALSE(HexDecode("0x00"));
  EXPECT_FALSE(HexDecode(" 00"));
}

}  // namespace
}  // namespace idm::crypto
