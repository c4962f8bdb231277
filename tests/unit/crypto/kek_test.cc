#include "idm/crypto/kek.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "idm/crypto/encoding.h"
#include "idm/crypto/secure_random.h"

namespace idm::crypto {
namespace {

const std::string kKeyBytes = "0123456789abcdef0123456789abcdef";

TEST(Kek, AcceptsHexBase64AndBase64UrlWithSurroundingWhitespace) {
  std::string hex = HexEncode(kKeyBytes), b64 = Base64Encode(kKeyBytes);
  std::string b64url = Base64UrlEncode("\xfb\xff" + kKeyBytes.substr(2));
  for (std::string text :
       {hex, b64, b64.substr(0, b64.size() - 1), " " + b64 + "\n", "\t" + hex + "\r\n", b64url}) {
    auto kek = Kek::FromText(text);
    ASSERT_TRUE(kek) << text << ": " << kek.error().message;
  }
  EXPECT_EQ(Kek::FromText(hex)->ToText(), b64);
  EXPECT_EQ(Kek::FromText(b64)->ToText(), b64);
  EXPECT_EQ(Kek::FromText(b64url)->ToText(), Base64Encode("\xfb\xff" + kKeyBytes.substr(2)));
}

TEST(Kek, RejectsWrongLengthsAndGarbageWithoutEchoingTheText) {
  for (std::string text :
       {std::string(""), std::string("  \n"), Base64Encode(kKeyBytes + "x"),
        Base64Encode(kKeyBytes.substr(1)), HexEncode(kKeyBytes.substr(1)),
        std::string("not a key at all!"), "zz" + HexEncode(kKeyBytes).substr(2)}) {
    auto kek = Kek::FromText(text);
    ASSERT_FALSE(kek) << text;
    EXPECT_EQ(kek.error().code, ErrorCode::kInvalidKey);
    if (text.size() > 4) {
      EXPECT_EQ(kek.error().message.find(text), std::string::npos);
    }
  }
  EXPECT_NE(Kek::FromText(Base64Encode(kKeyBytes + "x")).error().message.find("33 bytes"),
            std::string::npos);
}

TEST(Kek, LoadsFromFileAndReportsMissingFile) {
  std::string path = ::testing::TempDir() + "/idm_kek_test.key";
  { std::ofstream(path) << Base64Encode(kKeyBytes) << "\n"; }
  auto kek = Kek::FromFile(path);
  std::remove(path.c_str());
  ASSERT_TRUE(kek);
  EXPECT_EQ(kek->ToText(), Base64Encode(kKeyBytes));
  auto missing = Kek::FromFile(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidKey);
}

TEST(Kek, GeneratedKeysRoundTripThroughText) {
  SecureRandom random;
  Kek a = Kek::Generate(random), b = Kek::Generate(random);
  EXPECT_NE(a.ToText(), b.ToText());
  EXPECT_EQ(Kek::FromText(a.ToText())->ToText(), a.ToText());
}

class KekSealing : public ::testing::Test {
 protected:
  SecureRandom random_;
  Kek kek_ = Kek::Generate(random_);
};

TEST_F(KekSealing, OpensWhatItSealedWithTheSameAad) {
  std::string sealed = kek_.Seal("private key bytes", "realm:1/signing-key:k1", random_);
  EXPECT_EQ(sealed[0], '\x01');
  EXPECT_EQ(sealed.size(), 1u + 16 + 12 + 17 + 16);
  EXPECT_EQ(kek_.Open(sealed, "realm:1/signing-key:k1").value(), "private key bytes");
  EXPECT_NE(kek_.Seal("private key bytes", "realm:1/signing-key:k1", random_), sealed);
}

TEST_F(KekSealing, RefusesOtherAadOtherKekAndTampering) {
  std::string sealed = kek_.Seal("seed", "realm:1/totp:u1", random_);
  EXPECT_EQ(kek_.Open(sealed, "realm:1/totp:u2").error().code, ErrorCode::kDecryptFailed);
  EXPECT_EQ(Kek::Generate(random_).Open(sealed, "realm:1/totp:u1").error().code,
            ErrorCode::kDecryptFailed);
  for (size_t i = 1; i < sealed.size(); ++i) {  // salt, nonce, ciphertext and tag
    std::string t = sealed;
    t[i] = static_cast<char>(t[i] ^ 0x80);
    EXPECT_EQ(kek_.Open(t, "realm:1/totp:u1").error().code, ErrorCode::kDecryptFailed) << i;
  }
}

TEST_F(KekSealing, RejectsUnknownVersionAndTruncation) {
  std::string sealed = kek_.Seal("x", "", random_);
  std::string v2 = sealed;
  v2[0] = '\x02';
  EXPECT_EQ(kek_.Open(v2, "").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(kek_.Open("", "").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(kek_.Open(sealed.substr(0, 1 + 16 + 12 + 15), "").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(kek_.Open(sealed.substr(0, sealed.size() - 1), "").error().code,
            ErrorCode::kDecryptFailed);
}

TEST_F(KekSealing, CheckIsDeterministicAndDetectsAnotherKek) {
  std::string check = kek_.MakeCheck();
  EXPECT_EQ(check.rfind("kekcheck.v1.", 0), 0u);
  EXPECT_EQ(kek_.MakeCheck(), check);
  EXPECT_TRUE(kek_.MatchesCheck(check));
  EXPECT_EQ(Kek::FromText(kek_.ToText())->MakeCheck(), check);
  Kek other = Kek::Generate(random_);
  EXPECT_FALSE(other.MatchesCheck(check));
  EXPECT_NE(other.MakeCheck(), check);
  EXPECT_FALSE(kek_.MatchesCheck(""));
  EXPECT_FALSE(kek_.MatchesCheck(check.substr(0, check.size() - 1)));
  EXPECT_EQ(check.find(Base64UrlEncode(*Base64Decode(kek_.ToText()))), std::string::npos);
}

TEST(Kek, DerivedSecretsAreDeterministicPerPurposeAndPerKek) {
  SecureRandom random;
  Kek a = Kek::Generate(random);
  Kek b = Kek::Generate(random);
  auto again = Kek::FromText(a.ToText());
  ASSERT_TRUE(again);
  EXPECT_EQ(a.DeriveSecret("idm-csrf-v1").size(), 32u);
  EXPECT_EQ(a.DeriveSecret("idm-csrf-v1"), again->DeriveSecret("idm-csrf-v1"));
  EXPECT_NE(a.DeriveSecret("idm-csrf-v1"), a.DeriveSecret("idm-pairwise-v1"));
  EXPECT_NE(a.DeriveSecret("idm-csrf-v1"), b.DeriveSecret("idm-csrf-v1"));
}

}  // namespace
}  // namespace idm::crypto
