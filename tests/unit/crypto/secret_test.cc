#include "idm/crypto/secret.h"

#include <gtest/gtest.h>

#include <set>

#include "idm/crypto/encoding.h"
#include "idm/crypto/secure_random.h"

namespace idm::crypto {
namespace {

TEST(SecureRandom, FillsDistinctBytes) {
  SecureRandom random;
  std::string a = random.Bytes(32), b = random.Bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::string(32, '\0'));
  EXPECT_EQ(random.Bytes(0), "");
}

TEST(NewSecret, IsPrefixPlus43Base64UrlCharactersOf32RandomBytes) {
  SecureRandom random;
  std::string s = NewSecret(random, kRefreshTokenPrefix);
  ASSERT_EQ(s.rfind("idm_rt_", 0), 0u);
  std::string body = s.substr(kRefreshTokenPrefix.size());
  EXPECT_EQ(body.size(), 43u);
  auto raw = Base64UrlDecode(body);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 32u);
}

TEST(NewSecret, NeverRepeats) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i)
    EXPECT_TRUE(seen.insert(NewSecret(random, kAuthCodePrefix)).second);
}

TEST(HashSecret, IsSha256HexWithSchemePrefix) {
  EXPECT_EQ(HashSecret("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(VerifySecret, AcceptsTheSecretAndRejectsAnyOther) {
  SecureRandom random;
  std::string s = NewSecret(random, kClientSecretPrefix);
  std::string stored = HashSecret(s);
  EXPECT_TRUE(VerifySecret(s, stored));
  EXPECT_FALSE(VerifySecret(s + "x", stored));
  EXPECT_FALSE(VerifySecret(s.substr(0, s.size() - 1), stored));
  EXPECT_FALSE(VerifySecret(NewSecret(random, kClientSecretPrefix), stored));
}

TEST(VerifySecret, RejectsMalformedStoredValues) {
  std::string stored = HashSecret("s");
  EXPECT_FALSE(VerifySecret("s", ""));
  EXPECT_FALSE(VerifySecret("s", stored.substr(7)));                     // no scheme
  EXPECT_FALSE(VerifySecret("s", "argon2:" + stored.substr(7)));         // other scheme
  EXPECT_FALSE(VerifySecret("s", stored.substr(0, stored.size() - 2)));  // truncated
  EXPECT_FALSE(VerifySecret("s", "sha256:"));
}

}  // namespace
}  // namespace idm::crypto
