#include "idm/crypto/argon2_memory.h"

#include <argon2.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "idm/crypto/password.h"
#include "idm/crypto/secure_random.h"

namespace idm::crypto {
namespace {

class Argon2Memory : public ::testing::Test {
 protected:
  void SetUp() override { argon2_memory::ReleaseRetained(); }
  void TearDown() override { argon2_memory::ReleaseRetained(); }
};

TEST_F(Argon2Memory, ConsecutiveVerificationsReuseOneBuffer) {
  SecureRandom random;
  PasswordHasher hasher({256, 1, 1, 16, 32}, random);
  std::string phc = hasher.Hash("pw");
  uint64_t before = argon2_memory::GetStats().fresh_allocations;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(hasher.Verify("pw", phc));
  EXPECT_FALSE(hasher.Verify("wrong", phc));
  auto stats = argon2_memory::GetStats();
  EXPECT_EQ(stats.fresh_allocations, before);  // the hash's buffer served all six
  EXPECT_EQ(stats.retained_buffers, 1u);
  EXPECT_EQ(stats.retained_bytes, 256u * 1024u);
}

TEST_F(Argon2Memory, ABufferIsHandedOutOnlyForItsOwnSize) {
  uint8_t* a = nullptr;
  ASSERT_EQ(argon2_memory::Allocate(&a, 64 * 1024), ARGON2_OK);
  argon2_memory::Release(a, 64 * 1024);
  uint64_t before = argon2_memory::GetStats().fresh_allocations;
  uint8_t* b = nullptr;
  ASSERT_EQ(argon2_memory::Allocate(&b, 128 * 1024), ARGON2_OK);
  EXPECT_EQ(argon2_memory::GetStats().fresh_allocations, before + 1);
  uint8_t* c = nullptr;
  ASSERT_EQ(argon2_memory::Allocate(&c, 64 * 1024), ARGON2_OK);
  EXPECT_EQ(c, a);
  EXPECT_EQ(argon2_memory::GetStats().fresh_allocations, before + 1);
  argon2_memory::Release(b, 128 * 1024);
  argon2_memory::Release(c, 64 * 1024);
  EXPECT_EQ(argon2_memory::GetStats().retained_buffers, 2u);
}

TEST_F(Argon2Memory, KeepsAtMostTheCapAndEvictsTheOldest) {
  constexpr size_t kCap = argon2_memory::kMaxRetainedBuffers;
  std::vector<uint8_t*> held(kCap + 1);
  for (size_t i = 0; i < held.size(); ++i) {
    // Distinct sizes, so the order of eviction is visible in what is handed out again.
    ASSERT_EQ(argon2_memory::Allocate(&held[i], (i + 1) * 4096), ARGON2_OK);
  }
  for (size_t i = 0; i < held.size(); ++i) argon2_memory::Release(held[i], (i + 1) * 4096);
  auto stats = argon2_memory::GetStats();
  EXPECT_EQ(stats.retained_buffers, kCap);
  uint64_t before = stats.fresh_allocations;
  uint8_t* again = nullptr;
  ASSERT_EQ(argon2_memory::Allocate(&again, 1 * 4096), ARGON2_OK);  // the oldest: evicted
  EXPECT_EQ(argon2_memory::GetStats().fresh_allocations, before + 1);
  argon2_memory::Release(again, 4096);
  ASSERT_EQ(argon2_memory::Allocate(&again, (kCap + 1) * 4096), ARGON2_OK);  // the newest: kept
  EXPECT_EQ(again, held[kCap]);
  argon2_memory::Release(again, (kCap + 1) * 4096);
}

TEST_F(Argon2Memory, AnOversizedBufferIsReturnedToTheSystemAtOnce) {
  uint8_t* big = nullptr;
  const size_t bytes = argon2_memory::kMaxRetainedBytes + 4096;
  ASSERT_EQ(argon2_memory::Allocate(&big, bytes), ARGON2_OK);  // mapped lazily: no RSS cost
  argon2_memory::Release(big, bytes);
  EXPECT_EQ(argon2_memory::GetStats().retained_buffers, 0u);
}

TEST_F(Argon2Memory, OnlyBuffersIdleForTheGivenTimeAreGivenBack) {
  uint8_t* old_one = nullptr;
  uint8_t* new_one = nullptr;
  ASSERT_EQ(argon2_memory::Allocate(&old_one, 8192), ARGON2_OK);
  ASSERT_EQ(argon2_memory::Allocate(&new_one, 16384), ARGON2_OK);
  argon2_memory::Release(old_one, 8192);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  argon2_memory::Release(new_one, 16384);
  EXPECT_EQ(argon2_memory::ReleaseIdle(std::chrono::milliseconds(100)), 8192u);
  auto stats = argon2_memory::GetStats();
  EXPECT_EQ(stats.retained_buffers, 1u);
  EXPECT_EQ(stats.retained_bytes, 16384u);
  EXPECT_EQ(argon2_memory::ReleaseIdle(std::chrono::hours(1)), 0u);
  EXPECT_EQ(argon2_memory::ReleaseIdle(std::chrono::seconds(0)), 16384u);
}

}  // namespace
}  // namespace idm::crypto
