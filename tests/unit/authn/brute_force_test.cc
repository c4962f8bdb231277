// Brute-force arithmetic (idm/authn/brute_force.h): the growing delay 250 ms x 2^(n-1) with its
// cap, locks, and the window after which old failures impose nothing.
#include "idm/authn/brute_force.h"

#include <gtest/gtest.h>

namespace idm::authn {
namespace {

TEST(FailureDelay, DoublesFrom250MsAndStopsAtTheCap) {
  struct Case {
    int64_t failures, cap, want;
  } cases[] = {{0, 4000, 0},    {1, 4000, 250},  {2, 4000, 500},     {3, 4000, 1000},
               {4, 4000, 2000}, {5, 4000, 4000}, {6, 4000, 4000},    {1000, 4000, 4000},
               {-3, 4000, 0},   {3, 0, 0},       {63, 60000, 60000}, {2, 300, 300}};
  for (const Case& c : cases) {
    EXPECT_EQ(FailureDelayMs(c.failures, c.cap), c.want)
        << "failures=" << c.failures << " cap=" << c.cap;
  }
}

core::RealmSettings Settings() {
  core::RealmSettings s;
  s.brute_force_max_delay_ms = 4000;
  s.brute_force_window_s = 900;
  return s;
}

TEST(Throttle, NoCounterNeverRefuses) { EXPECT_FALSE(IsThrottled(std::nullopt, Settings(), 1)); }

TEST(Throttle, RefusesUntilTheDelayAfterTheLastFailureHasPassed) {
  core::LoginFailureCounter c;
  c.failures = 3;  // 1000 ms
  c.last_failure_at = 10'000;
  EXPECT_TRUE(IsThrottled(c, Settings(), 10'000));
  EXPECT_TRUE(IsThrottled(c, Settings(), 10'999));
  EXPECT_FALSE(IsThrottled(c, Settings(), 11'000));
}

TEST(Throttle, LockedCounterRefusesUntilLockedUntil) {
  core::LoginFailureCounter c;
  c.failures = 5;
  c.last_failure_at = 10'000;
  c.locked_until = 910'000;
  EXPECT_TRUE(IsLocked(c, 909'999));
  EXPECT_TRUE(IsThrottled(c, Settings(), 909'999));
  EXPECT_FALSE(IsLocked(c, 910'000));
  EXPECT_FALSE(IsThrottled(c, Settings(), 910'000));
}

TEST(Throttle, FailuresOlderThanTheWindowImposeNoDelay) {
  core::RealmSettings s = Settings();
  s.brute_force_window_s = 1;
  s.brute_force_max_delay_ms = 60'000;
  core::LoginFailureCounter c;
  c.failures = 20;  // capped delay 60 s, longer than the 1 s window
  c.last_failure_at = 10'000;
  EXPECT_TRUE(IsThrottled(c, s, 10'500));
  EXPECT_FALSE(IsThrottled(c, s, 11'000));
}

TEST(Lockout, PoliciesComeFromTheRealmSettingsInMilliseconds) {
  core::RealmSettings s;
  s.brute_force_max_failures = 4;
  s.brute_force_ip_max_failures = 40;
  s.brute_force_window_s = 60;
  s.brute_force_lockout_s = 120;
  store::LockoutPolicy user = UserLockoutPolicy(s);
  store::LockoutPolicy ip = AddressLockoutPolicy(s);
  EXPECT_EQ(user.max_failures, 4);
  EXPECT_EQ(ip.max_failures, 40);
  EXPECT_EQ(user.window_ms, 60'000);
  EXPECT_EQ(ip.lockout_ms, 120'000);
  EXPECT_EQ(UserFailureKey("u1"), "user:u1");
  EXPECT_EQ(AddressFailureKey("192.0.2.1"), "ip:192.0.2.1");
}

}  // namespace
}  // namespace idm::authn
