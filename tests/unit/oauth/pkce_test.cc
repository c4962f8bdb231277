// RFC 7636 PKCE: verifier syntax (§4.1), S256 (§4.2, Appendix B vector), verification (§4.6).
#include "idm/oauth/pkce.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/crypto/vectors.h"

namespace idm::oauth {
namespace {

TEST(Pkce, Rfc7636AppendixBVectorFromCheckedInData) {
  core::Json v = crypto::testing::LoadVectors("rfc7636_appendix_b.json");
  std::string octets;
  for (const core::Json& b : v["verifier_octets"])
    octets.push_back(static_cast<char>(b.get<int>()));
  std::string challenge_octets;
  for (const core::Json& b : v["challenge_octets"]) {
    challenge_octets.push_back(static_cast<char>(b.get<int>()));
  }
  const std::string verifier = v["code_verifier"].get<std::string>();
  const std::string challenge = v["code_challenge"].get<std::string>();

  EXPECT_EQ(crypto::Base64UrlEncode(octets), verifier);
  EXPECT_EQ(crypto::Base64UrlEncode(challenge_octets), challenge);
  EXPECT_EQ(S256Challenge(verifier), challenge);
  EXPECT_TRUE(IsValidCodeVerifier(verifier));
  EXPECT_TRUE(IsValidS256Challenge(challenge));
  EXPECT_TRUE(VerifyS256(challenge, verifier).ok());
  EXPECT_TRUE(VerifyPkceForCode(challenge, verifier).ok());
}

TEST(Pkce, VerifierSyntaxIs43To128UnreservedCharacters) {
  struct Case {
    const char* name;
    std::string verifier;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"42 chars too short", std::string(42, 'a'), false},
      {"43 chars minimum", std::string(43, 'a'), true},
      {"128 chars maximum", std::string(128, 'Z'), true},
      {"129 chars too long", std::string(129, 'Z'), false},
      {"all unreserved punctuation", std::string(40, '0') + "-._~", true},
      {"plus is reserved", std::string(42, 'a') + "+", false},
      {"slash is reserved", std::string(42, 'a') + "/", false},
      {"space", std::string(42, 'a') + " ", false},
      {"percent", std::string(42, 'a') + "%", false},
      {"non-ascii", std::string(42, 'a') + "\xc3\xa9", false},
      {"empty", "", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidCodeVerifier(c.verifier), c.valid) << c.name;
}

TEST(Pkce, S256ChallengeMustBe43Base64UrlCharacters) {
  EXPECT_TRUE(IsValidS256Challenge(S256Challenge(std::string(50, 'x'))));
  EXPECT_FALSE(IsValidS256Challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c"));    // 42
  EXPECT_FALSE(IsValidS256Challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM="));  // padded
  EXPECT_FALSE(IsValidS256Challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"));   // not url
  EXPECT_FALSE(IsValidS256Challenge(std::string(43, '~')));
  EXPECT_FALSE(IsValidS256Challenge(""));
}

TEST(Pkce, WrongVerifierIsInvalidGrant) {
  std::string verifier(64, 'v');
  Status s = VerifyS256(S256Challenge(verifier), std::string(64, 'w'));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidGrant);
}

TEST(Pkce, MalformedVerifierIsInvalidGrantEvenIfItHashesToTheChallenge) {
  std::string short_verifier(10, 'v');
  Status s = VerifyS256(S256Challenge(short_verifier), short_verifier);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidGrant);
}

TEST(Pkce, PlainTransformationIsNotAccepted) {
  // A client sending the verifier itself as the challenge ("plain") never verifies under S256.
  std::string verifier(43, 'p');
  EXPECT_FALSE(VerifyS256(verifier, verifier).ok());
}

TEST(Pkce, CodeWithChallengeRequiresVerifier) {
  Status s = VerifyPkceForCode(S256Challenge(std::string(43, 'a')), "");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidGrant);
}

TEST(Pkce, VerifierForCodeWithoutChallengeIsRejectedAgainstDowngrade) {
  Status s = VerifyPkceForCode("", std::string(43, 'a'));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidGrant);
  EXPECT_TRUE(VerifyPkceForCode("", "").ok());
}

}  // namespace
}  // namespace idm::oauth
