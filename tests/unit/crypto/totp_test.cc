// crypto TOTP (totp.h): RFC 6238 Appendix B vectors in every hash mode liboath supports, the
// verification window (RFC 6238 §5.2), base32 (RFC 4648 §6 / §10 vectors), and a cross-check
// against an independent implementation, Debian's oathtool.
#include "idm/crypto/totp.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "tests/support/command.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using idm::testing::RunCommand;

using testing::LoadVectors;

TEST(Totp, MatchesRfc6238AppendixBInSha1Sha256AndSha512) {
  core::Json v = LoadVectors("rfc6238_appendix_b.json");
  ASSERT_EQ(v["vectors"].size(), 18u);
  for (const core::Json& c : v["vectors"]) {
    const std::string mode = c["mode"];
    const int64_t time = c["time"];
    auto hash = TotpHashFromName(mode);
    ASSERT_TRUE(hash.has_value()) << mode;
    TotpParams params{*hash, v["digits"].get<int>(), v["period"].get<int>()};
    const std::string seed = v["seeds"][mode];
    auto code = TotpCode(seed, time, params);
    ASSERT_TRUE(code.has_value()) << mode << " at " << time;
    EXPECT_EQ(*code, c["totp"].get<std::string>()) << mode << " at " << time;
    EXPECT_EQ(TotpStep(time, params.period_s),
              std::stoll(c["step_hex"].get<std::string>(), nullptr, 16))
        << time;
    auto step = VerifyTotp(seed, *code, time, params);
    ASSERT_TRUE(step.has_value()) << mode << " at " << time;
    EXPECT_EQ(*step, TotpStep(time, params.period_s));
  }
}

TEST(Totp, VerifyAcceptsOneStepEitherSideAndReportsTheMatchedStep) {
  const std::string seed = "12345678901234567890";
  const TotpParams params;  // SHA-1, 6 digits, 30 s
  const int64_t now = 1111111111;
  const int64_t step = TotpStep(now, 30);
  for (int64_t offset : {-1, 0, 1}) {
    auto code = TotpCode(seed, (step + offset) * 30, params);
    ASSERT_TRUE(code.has_value());
    auto matched = VerifyTotp(seed, *code, now, params);
    ASSERT_TRUE(matched.has_value()) << "offset " << offset;
    EXPECT_EQ(*matched, step + offset) << "offset " << offset;
  }
}

TEST(Totp, VerifyRejectsCodesOutsideTheWindow) {
  const std::string seed = "12345678901234567890";
  const TotpParams params;
  const int64_t now = 1111111111;
  const int64_t step = TotpStep(now, 30);
  for (int64_t offset : {-3, -2, 2, 3}) {
    auto code = TotpCode(seed, (step + offset) * 30, params);
    ASSERT_TRUE(code.has_value());
    // A collision with a code inside the window is possible in principle; these are checked.
    EXPECT_FALSE(VerifyTotp(seed, *code, now, params).has_value()) << "offset " << offset;
  }
}

TEST(Totp, VerifyRejectsAnotherSeedsCodeAndMalformedCodes) {
  const TotpParams params;
  const int64_t now = 1234567890;
  auto other = TotpCode("another seed of twenty", now, params);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(VerifyTotp("12345678901234567890", *other, now, params).has_value());
  auto good = TotpCode("12345678901234567890", now, params);
  ASSERT_TRUE(good.has_value());
  for (const std::string& bad : {std::string(""), good->substr(0, 5), *good + "0", std::string("12a456"),
                                std::string(" ") + good->substr(1)}) {
    EXPECT_FALSE(VerifyTotp("12345678901234567890", bad, now, params).has_value()) << bad;
  }
}

TEST(Totp, Base32MatchesRfc4648Section10AndRoundTripsWithoutPadding) {
  core::Json v = LoadVectors("rfc4648_section10.json");
  for (const core::Json& c : v["base32"]) {
    const std::string in = c["in"];
    std::string out = c["out"];
    auto decoded = Base32Decode(out);
    ASSERT_TRUE(decoded.has_value()) << out;
    EXPECT_EQ(*decoded, in);
    while (!out.empty() && out.back() == '=') out.pop_back();
    EXPECT_EQ(Base32Encode(in), out) << in;
  }
  EXPECT_EQ(Base32Decode("mzxw 6ytb-oi").value_or("?"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1").has_value()) << "1 is not in the base32 alphabet";
}


TEST(Totp, OathtoolCodesAreAcceptedIndependentCrossCheck) {
  if (!RunCommand("command -v oathtool").value_or("").size()) {
    GTEST_SKIP() << "oathtool is not installed (scripts/install-deps.sh --test installs it)";
  }
  const std::string seed = "\x3a\x91\x07\xff\x10seed-of-twenty!";
  const std::string b32 = Base32Encode(seed);
  const int64_t now = 1700000000;
  for (int64_t t : {now, now + 30, now + 3600}) {
    auto code = RunCommand("oathtool --totp -b --now='@" + std::to_string(t) + "' " + b32);
    ASSERT_TRUE(code.has_value());
    ASSERT_EQ(code->size(), 6u) << "unexpected oathtool output: " << *code;
    auto step = VerifyTotp(seed, *code, t, TotpParams{});
    ASSERT_TRUE(step.has_value()) << "oathtool's code " << *code << " at " << t;
    EXPECT_EQ(*step, t / 30);
  }
}

}  // namespace
}  // namespace idm::crypto
