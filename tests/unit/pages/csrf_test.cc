// CSRF tokens (idm/pages/csrf.h): HMAC-SHA256 bound to a flow or session id.
#include "idm/pages/csrf.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"

namespace idm::pages {
namespace {

const std::string kSecret(32, 's');

CsrfTokens Tokens(const std::string& secret = kSecret) {
  auto t = CsrfTokens::Create(secret);
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

TEST(CsrfTokens, TokenIsBase64UrlHmacOfTheBindingId) {
  std::string message = "idm-csrf-v1";
  message.push_back('\0');
  message += "flow-1";
  const std::string expected = crypto::Base64UrlEncode(crypto::HmacSha256(kSecret, message));
  EXPECT_EQ(Tokens().Issue("flow-1"), expected);
  EXPECT_EQ(expected.size(), 43u);
}

TEST(CsrfTokens, VerifiesOnlyTheTokenOfTheSameBindingAndSecret) {
  const CsrfTokens t = Tokens();
  const std::string token = t.Issue("flow-1");
  EXPECT_TRUE(t.Verify("flow-1", token));
  EXPECT_FALSE(t.Verify("flow-2", token));
  EXPECT_FALSE(Tokens(std::string(32, 'x')).Verify("flow-1", token));
}

TEST(CsrfTokens, RejectsAlteredTruncatedAndEmptyTokens) {
  const CsrfTokens t = Tokens();
  std::string token = t.Issue("flow-1");
  EXPECT_FALSE(t.Verify("flow-1", token.substr(0, 42)));
  EXPECT_FALSE(t.Verify("flow-1", token + "A"));
  token[10] = token[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(t.Verify("flow-1", token));
  EXPECT_FALSE(t.Verify("flow-1", ""));
}

TEST(CsrfTokens, EmptyBindingNeverVerifies) {
  const CsrfTokens t = Tokens();
  EXPECT_EQ(t.Issue(""), "");
  EXPECT_FALSE(t.Verify("", ""));
  EXPECT_FALSE(t.Verify("", t.Issue("x")));
}

TEST(CsrfTokens, RejectsShortSecrets) {
  auto r = CsrfTokens::Create(std::string(31, 's'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("32 bytes"), std::string::npos);
}

}  // namespace
}  // namespace idm::pages
