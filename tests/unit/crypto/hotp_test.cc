// crypto HOTP (hotp.h): RFC 4226 Appendix D vectors, the look-ahead window and counter rule
// (RFC 4226 §7.2, §7.4), malformed input, and a cross-check against Debian's oathtool.
#include "idm/crypto/hotp.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "idm/crypto/totp.h"
#include "tests/support/command.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using idm::testing::RunCommand;

using testing::LoadVectors;

const std::string kSeed = "12345678901234567890";  // RFC 4226 Appendix D secret

TEST(Hotp, MatchesRfc4226AppendixDForCounts0To9) {
  core::Json v = LoadVectors("rfc4226_appendix_d.json");
  ASSERT_EQ(v["vectors"].size(), 10u);
  const std::string seed = v["secret"];
  for (const core::Json& c : v["vectors"]) {
    const uint64_t count = c["count"];
    auto code = HotpCode(seed, count, v["digits"].get<int>());
    ASSERT_TRUE(code.has_value()) << "count " << count;
    EXPECT_EQ(*code, c["hotp"].get<std::string>()) << "count " << count;
    // §5.4: the HOTP value is the truncated value modulo 10^Digit.
    EXPECT_EQ(std::stoll(*code), c["truncated_decimal"].get<int64_t>() % 1000000)
        << "count " << count;
  }
}

TEST(Hotp, VerifyFromCounterZeroReportsTheMatchedCounterOfEveryAppendixDCode) {
  core::Json v = LoadVectors("rfc4226_appendix_d.json");
  for (const core::Json& c : v["vectors"]) {
    auto matched = VerifyHotp(kSeed, c["hotp"].get<std::string>(), 0);
    ASSERT_TRUE(matched.has_value()) << "count " << c["count"];
    EXPECT_EQ(*matched, c["count"].get<uint64_t>());
  }
}

TEST(Hotp, NextCounterIsZeroBeforeAnyCodeAndOnePastTheLastAcceptedAfter) {
  EXPECT_EQ(NextHotpCounter(std::nullopt), 0u);
  EXPECT_EQ(NextHotpCounter(0), 1u);
  EXPECT_EQ(NextHotpCounter(41), 42u);
}

TEST(Hotp, LookAheadWindowAcceptsExactlyTheNextWindowCounters) {
  const uint64_t next = 100;
  for (uint64_t c = next; c < next + kHotpLookAhead; ++c) {
    auto code = HotpCode(kSeed, c);
    ASSERT_TRUE(code.has_value());
    auto matched = VerifyHotp(kSeed, *code, next);
    ASSERT_TRUE(matched.has_value()) << "counter " << c;
    EXPECT_EQ(*matched, c);
  }
  // Beyond the window (RFC 4226 §7.4 look-ahead parameter s) and behind it: refused. These
  // counters' codes are checked not to collide with a code inside the window.
  for (uint64_t c : {next + kHotpLookAhead, next + kHotpLookAhead + 1, next - 1, next - 10}) {
    auto code = HotpCode(kSeed, c);
    ASSERT_TRUE(code.has_value());
    EXPECT_FALSE(VerifyHotp(kSeed, *code, next).has_value()) << "counter " << c;
  }
}

TEST(Hotp, ResynchronisesAfterTheTokenRanAheadAndRefusesEveryEarlierCounter) {
  // The user pressed the button 6 times without signing in: counter 6's code, expected 0.
  auto ahead = HotpCode(kSeed, 6);
  ASSERT_TRUE(ahead.has_value());
  auto matched = VerifyHotp(kSeed, *ahead, NextHotpCounter(std::nullopt));
  ASSERT_TRUE(matched.has_value());
  EXPECT_EQ(*matched, 6u);
  // §7.2: the server moved on to 6, so 6 and everything before it is refused from now on.
  const uint64_t next = NextHotpCounter(static_cast<int64_t>(*matched));
  for (uint64_t c = 0; c <= 6; ++c) {
    EXPECT_FALSE(VerifyHotp(kSeed, *HotpCode(kSeed, c), next).has_value()) << "counter " << c;
  }
  auto following = VerifyHotp(kSeed, *HotpCode(kSeed, 7), next);
  ASSERT_TRUE(following.has_value());
  EXPECT_EQ(*following, 7u);
}

TEST(Hotp, VerifyRejectsAnotherSeedsCodeMalformedCodesAndAnEmptyWindow) {
  auto other = HotpCode("another seed of twenty", 3);
  ASSERT_TRUE(other.has_value());
  ASSERT_NE(*other, *HotpCode(kSeed, 3));
  EXPECT_FALSE(VerifyHotp(kSeed, "000000", 0).has_value());  // not among counters 0..9
  auto good = HotpCode(kSeed, 0);
  ASSERT_TRUE(good.has_value());
  for (const std::string& bad : {std::string(""), good->substr(0, 5), *good + "0",
                                 std::string("75522a"), std::string(" ") + good->substr(1)}) {
    EXPECT_FALSE(VerifyHotp(kSeed, bad, 0).has_value()) << bad;
  }
  EXPECT_FALSE(VerifyHotp(kSeed, *good, 0, /*window=*/0).has_value());
}


TEST(Hotp, OathtoolCodesAreAcceptedIndependentCrossCheck) {
  if (!RunCommand("command -v oathtool").value_or("").size()) {
    GTEST_SKIP() << "oathtool is not installed (scripts/install-deps.sh --test installs it)";
  }
  const std::string seed = "\x3a\x91\x07\xff\x10seed-of-twenty!";
  const std::string b32 = Base32Encode(seed);
  for (uint64_t c : {0u, 1u, 9u, 1000u}) {
    auto code = RunCommand("oathtool --hotp -b -c " + std::to_string(c) + " " + b32);
    ASSERT_TRUE(code.has_value());
    ASSERT_EQ(code->size(), 6u) << "unexpected oathtool output: " << *code;
    auto matched = VerifyHotp(seed, *code, c);
    ASSERT_TRUE(matched.has_value()) << "oathtool's code " << *code << " at " << c;
    EXPECT_EQ(*matched, c);
  }
}

}  // namespace
}  // namespace idm::crypto
