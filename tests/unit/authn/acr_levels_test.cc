// The authentication levels (acr_levels.h, docs/design/020): what amr values achieve (RFC 8176
// §2), how acr_values (OIDC Core §3.1.2.1) and an essential acr (§5.5.1.1) are read against the
// realm's levels, and which acr the ID token reports.
#include "idm/authn/acr_levels.h"

#include <gtest/gtest.h>

namespace idm::authn {
namespace {

const std::vector<std::string> kAll = {"pwd", "mfa", "phishing-resistant"};

TEST(AcrLevels, AmrDecidesTheLevelAchieved) {
  struct Case {
    const char* name;
    std::vector<std::string> amr;
    std::string acr;
  } cases[] = {
      {"password", {"pwd"}, "pwd"},
      {"password and TOTP", {"pwd", "otp", "mfa"}, "mfa"},
      {"password and recovery code", {"pwd", "mfa"}, "mfa"},
      {"passkey (hardware key)", {"hwk", "user", "mfa"}, "phishing-resistant"},
      {"passkey (software key)", {"swk", "user"}, "phishing-resistant"},
      {"nothing", {}, "pwd"},
  };
  for (const Case& c : cases) EXPECT_EQ(AcrForAmr(c.amr), c.acr) << c.name;
}

TEST(AcrLevels, LevelsAreOrderedAndASessionWithoutAcrCountsAsPassword) {
  EXPECT_LT(AcrRank("pwd"), AcrRank("mfa"));
  EXPECT_LT(AcrRank("mfa"), AcrRank("phishing-resistant"));
  EXPECT_EQ(AcrRank("urn:other"), 0);
  EXPECT_EQ(SessionRank(""), kRankPwd);
  EXPECT_EQ(SessionRank("mfa"), kRankMfa);
}

TEST(AcrLevels, FirstOfferedAcrValueIsTheVoluntaryTarget) {
  AuthRequest r;
  r.acr_values = {"urn:unknown", "mfa", "pwd"};
  EXPECT_EQ(ReadAcrRequest(r, kAll).voluntary, kRankMfa);
  EXPECT_EQ(ReadAcrRequest(r, {"pwd"}).voluntary, kRankPwd) << "mfa is not offered by the realm";
  EXPECT_EQ(ReadAcrRequest(r, kAll).essential, 0);
}

TEST(AcrLevels, EssentialAcrNeedsTheWeakestOfferedValue) {
  AuthRequest r;
  r.essential_acr = {"phishing-resistant", "mfa"};
  AcrRequest a = ReadAcrRequest(r, kAll);
  EXPECT_EQ(a.essential, kRankMfa);
  EXPECT_FALSE(a.essential_unknown);
}

TEST(AcrLevels, EssentialAcrWithNoOfferedValueCanNeverBeMet) {
  AuthRequest r;
  r.essential_acr = {"urn:acme:loa:4"};
  EXPECT_TRUE(ReadAcrRequest(r, kAll).essential_unknown);
  r.essential_acr = {"phishing-resistant"};
  EXPECT_TRUE(ReadAcrRequest(r, {"pwd", "mfa"}).essential_unknown)
      << "a level the realm does not offer";
}

TEST(AcrLevels, ReportedAcrIsTheAchievedLevelOrTheRequestedValueItSatisfies) {
  AuthRequest plain;
  EXPECT_EQ(ReportedAcr("phishing-resistant", plain), "phishing-resistant");
  AuthRequest essential;
  essential.essential_acr = {"mfa"};
  // OIDC Core §5.5.1.1: the acr returned must be one of the requested values.
  EXPECT_EQ(ReportedAcr("phishing-resistant", essential), "mfa");
  EXPECT_EQ(ReportedAcr("pwd", essential), "pwd") << "never claims a level not reached";
}

}  // namespace
}  // namespace idm::authn
