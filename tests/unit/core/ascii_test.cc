// ASCII case folding (idm/core/ascii.h): only A-Z fold, whatever the byte.
#include "idm/core/ascii.h"

#include <gtest/gtest.h>

#include <clocale>
#include <map>
#include <string>

namespace idm::core {
namespace {

TEST(Ascii, LowersOnlyTheAsciiCapitals) {
  EXPECT_EQ(AsciiLowered("Content-TYPE: Basic @[`{"), "content-type: basic @[`{");
  // UTF-8 bytes (here "É" and "İ") and every other non-letter byte are left as they are.
  EXPECT_EQ(AsciiLowered("\xC3\x89\xC4\xB0Z"), "\xC3\x89\xC4\xB0z");
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const char want = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : ch;
    EXPECT_EQ(AsciiLower(ch), want) << c;
  }
}

TEST(Ascii, FoldsTheSameUnderAnyProcessLocale) {
  const char* before = std::setlocale(LC_CTYPE, nullptr);
  const std::string saved = before != nullptr ? before : "C";
  std::setlocale(LC_CTYPE, "C.UTF-8");  // may be missing; then the C locale is tested twice
  EXPECT_TRUE(EqualsIgnoreCase("TRANSFER-encoding", "Transfer-Encoding"));
  EXPECT_FALSE(EqualsIgnoreCase("\xC3\x89", "\xC3\xA9"));  // É and é differ: not ASCII
  std::setlocale(LC_CTYPE, saved.c_str());
}

TEST(Ascii, EqualsIgnoreCaseNeedsTheSameLength) {
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_TRUE(EqualsIgnoreCase("100-Continue", "100-continue"));
  EXPECT_FALSE(EqualsIgnoreCase("basic", "basic "));
  EXPECT_FALSE(EqualsIgnoreCase("basic", "basil"));
}

TEST(Ascii, StartsWithIgnoreCaseComparesOnlyThePrefix) {
  EXPECT_TRUE(StartsWithIgnoreCase("BEARER abc", "bearer "));
  EXPECT_TRUE(StartsWithIgnoreCase("bearer", "bearer"));
  EXPECT_FALSE(StartsWithIgnoreCase("bear", "bearer"));
  EXPECT_FALSE(StartsWithIgnoreCase("Bearerabc", "bearer "));
  EXPECT_TRUE(StartsWithIgnoreCase("anything", ""));
}

TEST(Ascii, LessIgnoreCaseOrdersKeysThatDifferOnlyInCaseAsEqual) {
  EXPECT_FALSE(LessIgnoreCase("Host", "host"));
  EXPECT_FALSE(LessIgnoreCase("host", "Host"));
  EXPECT_TRUE(LessIgnoreCase("Accept", "host"));
  EXPECT_TRUE(LessIgnoreCase("HOST", "hosts"));
  // '_' (0x5F) sorts between 'Z' and 'a'; folded, "a_" still comes after "A" and before "ab".
  EXPECT_TRUE(LessIgnoreCase("a_", "AB") == ('_' < 'b'));
  struct Less {
    bool operator()(const std::string& a, const std::string& b) const {
      return LessIgnoreCase(a, b);
    }
  };
  std::multimap<std::string, std::string, Less> headers{{"X-Request-Id", "1"}};
  EXPECT_EQ(headers.count("x-request-id"), 1u);
  EXPECT_EQ(headers.find("X-REQUEST-ID")->second, "1");
}

}  // namespace
}  // namespace idm::core
