#include "idm/crypto/password.h"

#include <argon2.h>
#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "idm/crypto/secure_random.h"
#include "tests/unit/crypto/vectors.h"

namespace idm::crypto {
namespace {

using testing::LoadVectors;
using testing::Unhex;

// Small parameters keep the suite fast; production defaults are tested once below.
constexpr Argon2Params kFast{64, 1, 1, 16, 32};

TEST(Argon2id, MatchesRfc9106Section5_3TestVector) {
  auto v = LoadVectors("rfc9106_argon2id.json");
  Argon2Params p{v["memory_kib"], v["iterations"], v["parallelism"], 16, v["tag_length"]};
  auto tag = Argon2idRaw(p, Unhex(v["password"]), Unhex(v["salt"]), Unhex(v["secret"]),
                         Unhex(v["associated_data"]));
  ASSERT_TRUE(tag) << tag.error().message;
  EXPECT_EQ(HexEncode(*tag), v["tag"].get<std::string>());
}

TEST(PasswordHasher, HashesToPhcStringThatVerifies) {
  SecureRandom random;
  PasswordHasher hasher(kFast, random);
  std::string phc = hasher.Hash("correct horse battery staple");
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << phc;
  EXPECT_TRUE(hasher.Verify("correct horse battery staple", phc));
  EXPECT_FALSE(hasher.Verify("correct horse battery stapl", phc));
  EXPECT_FALSE(hasher.Verify("", phc));
  EXPECT_NE(hasher.Hash("correct horse battery staple"), phc);  // fresh salt
}

TEST(PasswordHasher, PhcHashIsTheRawArgon2idTagOfPasswordAndSalt) {
  SecureRandom random;
  PasswordHasher hasher(kFast, random);
  std::string phc = hasher.Hash("pw");
  std::string salt_b64 = phc.substr(phc.rfind('$', phc.rfind('$') - 1) + 1);
  salt_b64 = salt_b64.substr(0, salt_b64.find('$'));
  std::string hash_b64 = phc.substr(phc.rfind('$') + 1);
  auto pad = [](std::string s) { return s.append((4 - s.size() % 4) % 4, '='); };
  auto salt = Base64Decode(pad(salt_b64));
  ASSERT_TRUE(salt);
  EXPECT_EQ(Base64Encode(Argon2idRaw(kFast, "pw", *salt).value()), pad(hash_b64));
}

// idm computes and encodes the PHC string itself (to give libargon2 retained working memory);
// libargon2's own encoder and verifier are the independent check that the format is unchanged.
TEST(PasswordHasher, AHashMadeHereVerifiesWithLibargon2sOwnVerifier) {
  SecureRandom random;
  PasswordHasher hasher(kFast, random);
  std::string phc = hasher.Hash("correct horse");
  EXPECT_EQ(argon2id_verify(phc.c_str(), "correct horse", 13), ARGON2_OK);
  EXPECT_EQ(argon2id_verify(phc.c_str(), "correct horsf", 13), ARGON2_VERIFY_MISMATCH);
}

TEST(PasswordHasher, AHashEncodedByLibargon2VerifiesHere) {
  SecureRandom random;
  PasswordHasher hasher(kFast, random);
  std::string salt = random.Bytes(16);
  char encoded[256];
  ASSERT_EQ(argon2id_hash_encoded(1, 64, 1, "pw", 2, salt.data(), salt.size(), 32, encoded,
                                  sizeof encoded),
            ARGON2_OK);
  EXPECT_TRUE(hasher.Verify("pw", encoded));
  EXPECT_FALSE(hasher.Verify("pW", encoded));
  EXPECT_FALSE(hasher.NeedsRehash(encoded));
}

TEST(PasswordHasher, HandlesEmptyAndNonAsciiPasswords) {
  SecureRandom random;
  PasswordHasher hasher(kFast, random);
  EXPECT_TRUE(hasher.Verify("", hasher.Hash("")));
  std::string korean = "\xeb\xb9\x84\xeb\xb0\x80\xeb\xb2\x88\xed\x98\xb8";
  EXPECT_TRUE(hasher.Verify(korean, hasher.Hash(korean)));
  EXPECT_FALSE(hasher.Verify(std::string("a\0b", 3), hasher.Hash("a")));
}

TEST(PasswordHasher, VerifyRejectsMalformedAndForeignPhcStrings) {
  SecureRandom random;
  PasswordHasher hasher(kFast, random);
  std::string phc = hasher.Hash("pw");
  std::string tail = phc.substr(std::string("$argon2id$v=19$m=64,t=1,p=1").size());
  struct Case {
    const char* name;
    std::string phc;
  } cases[] = {
      {"empty", ""},
      {"argon2i variant", "$argon2i$v=19$m=64,t=1,p=1" + tail},
      {"old version", "$argon2id$v=16$m=64,t=1,p=1" + tail},
      {"reordered params", "$argon2id$v=19$t=1,m=64,p=1" + tail},
      {"huge memory", "$argon2id$v=19$m=4000000,t=1,p=1" + tail},
      {"huge iterations", "$argon2id$v=19$m=64,t=100000,p=1" + tail},
      {"leading zero", "$argon2id$v=19$m=064,t=1,p=1" + tail},
      {"truncated", phc.substr(0, phc.size() - 10)},
      {"padded base64", phc + "="},
      {"bcrypt", "$2b$12$abcdefghijklmnopqrstuu5qoMHLTHHqKJz6bCp4.pXwAV0UaKOU6"},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(hasher.Verify("pw", c.phc)) << c.name;
    EXPECT_TRUE(hasher.NeedsRehash(c.phc)) << c.name;
  }
}

TEST(PasswordHasher, DecoyHashIsWellFormedUnderTheConfiguredParametersAndMatchesNothing) {
  SecureRandom random;
  PasswordHasher hasher(kFast, random);
  std::string decoy = hasher.DecoyHash();
  EXPECT_EQ(decoy.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << decoy;
  // Same parameters as a real hash: Verify does the full work (no fast path for the decoy).
  EXPECT_FALSE(hasher.NeedsRehash(decoy));
  EXPECT_FALSE(hasher.Verify("", decoy));
  EXPECT_FALSE(hasher.Verify("password", decoy));
  EXPECT_NE(hasher.DecoyHash(), decoy);  // fresh random salt and tag
}

TEST(PasswordHasher, NeedsRehashWhenParametersChange) {
  SecureRandom random;
  PasswordHasher old_hasher(kFast, random);
  std::string phc = old_hasher.Hash("pw");
  EXPECT_FALSE(old_hasher.NeedsRehash(phc));
  Argon2Params more_memory = kFast, more_time = kFast, more_lanes = kFast, longer = kFast;
  more_memory.memory_kib = 128;
  more_time.iterations = 2;
  more_lanes.parallelism = 2;
  longer.hash_bytes = 64;
  for (const auto& p : {more_memory, more_time, more_lanes, longer}) {
    PasswordHasher hasher(p, random);
    EXPECT_TRUE(hasher.NeedsRehash(phc));
    EXPECT_TRUE(hasher.Verify("pw", phc));  // old hashes keep working
  }
}

TEST(PasswordHasher, DefaultParametersAreValidAndWork) {
  SecureRandom random;
  Argon2Params defaults;
  ASSERT_TRUE(ValidateArgon2Params(defaults));
  PasswordHasher hasher(defaults, random);
  std::string phc = hasher.Hash("pw");
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u);
  EXPECT_TRUE(hasher.Verify("pw", phc));
}

TEST(ValidateArgon2Params, RejectsUnusableParameters) {
  auto with = [](auto f) {
    Argon2Params p = kFast;
    f(p);
    return p;
  };
  EXPECT_FALSE(ValidateArgon2Params(with([](Argon2Params& p) { p.parallelism = 0; })));
  EXPECT_FALSE(ValidateArgon2Params(with([](Argon2Params& p) { p.iterations = 0; })));
  EXPECT_FALSE(ValidateArgon2Params(with([](Argon2Params& p) { p.memory_kib = 7; })));
  EXPECT_FALSE(ValidateArgon2Params(with([](Argon2Params& p) { p.memory_kib = 2u << 20; })));
  EXPECT_FALSE(ValidateArgon2Params(with([](Argon2Params& p) { p.salt_bytes = 4; })));
  EXPECT_FALSE(ValidateArgon2Params(with([](Argon2Params& p) { p.hash_bytes = 2; })));
  SecureRandom random;
  PasswordHasher broken(with([](Argon2Params& p) { p.iterations = 0; }), random);
  EXPECT_THROW(broken.Hash("pw"), std::invalid_argument);
}

}  // namespace
}  // namespace idm::crypto
