#include "idm/crypto/secret.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>
#include <vector>

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

TEST(SecureRandom, SmallDrawsFromTheThreadBufferNeverRepeatAcrossRefills) {
  SecureRandom random;
  std::set<std::string> seen;
  // 16-, 7- and 64-byte draws interleaved run through the 512-byte buffer many times over, and
  // leave it with too few bytes for the next draw at varying points.
  for (int i = 0; i < 600; ++i) {
    for (size_t n : {size_t{16}, size_t{7}, SecureRandom::kBufferedRequestMax}) {
      std::string bytes = random.Bytes(n);
      ASSERT_EQ(bytes.size(), n);
      if (n >= 16) {
        EXPECT_TRUE(seen.insert(bytes.substr(0, 16)).second) << "draw " << i;
      }
    }
  }
  std::string large = random.Bytes(SecureRandom::kBufferSize + 1);
  EXPECT_EQ(large.size(), SecureRandom::kBufferSize + 1);
  EXPECT_NE(large, random.Bytes(SecureRandom::kBufferSize + 1));
}

TEST(SecureRandom, ThreadsDrawDistinctBytes) {
  SecureRandom random;
  std::vector<std::vector<std::string>> drawn(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < drawn.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) drawn[t].push_back(random.Bytes(16));
    });
  }
  for (std::thread& th : threads) th.join();
  std::set<std::string> seen;
  for (const auto& list : drawn) {
    for (const std::string& bytes : list) EXPECT_TRUE(seen.insert(bytes).second);
  }
  EXPECT_EQ(seen.size(), 800u);
}

TEST(SecureRandom, AForkedChildNeverHandsOutItsParentsBufferedBytes) {
  SecureRandom random;
  (void)random.Bytes(16);  // the buffer now holds bytes the parent has not handed out
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string bytes = random.Bytes(16);
    _exit(write(fds[1], bytes.data(), bytes.size()) == 16 ? 0 : 1);
  }
  close(fds[1]);
  std::string from_child(16, '\0');
  ssize_t got = read(fds[0], from_child.data(), from_child.size());
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(got, 16);
  EXPECT_NE(from_child, random.Bytes(16));
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
