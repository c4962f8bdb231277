// Maintenance (app/maintenance.h): one run rotates due keys, prunes expired retired keys and
// sweeps expired state; Stop ends the background thread promptly (SIGTERM path of `idm serve`).
#include "idm/app/maintenance.h"

#include <chrono>

#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

class MaintenanceTest : public OAuthTest {};

TEST_F(MaintenanceTest, RunOnceRotatesDueKeysAndSweepsExpiredState) {
  core::Realm r = Realm();
  r.settings.key_rotation_interval_s = 86400;  // the smallest interval a realm accepts
  auto updated = realms_->Update(Ctx(), "acme", r, r.version);
  ASSERT_TRUE(updated) << updated.error().detail;
  app::Maintenance m(*store_, *realms_, *keys_, clock_, std::chrono::hours(1));
  app::MaintenanceReport first = m.RunOnce();
  EXPECT_EQ(first.rotated, 0);
  EXPECT_EQ(first.failures, 0);
  clock_.Advance(std::chrono::seconds(86401));
  app::MaintenanceReport due = m.RunOnce();
  EXPECT_EQ(due.rotated, 2);
  EXPECT_EQ(due.failures, 0);
  clock_.Advance(std::chrono::seconds(400));  // past token lifetime (300 s) + leeway (60 s)
  app::MaintenanceReport later = m.RunOnce();
  EXPECT_EQ(later.rotated, 0);
  EXPECT_EQ(later.keys_pruned, 2);
  EXPECT_EQ(later.failures, 0);
}

TEST_F(MaintenanceTest, StopEndsTheBackgroundThreadWithoutWaitingForTheInterval) {
  app::Maintenance m(*store_, *realms_, *keys_, clock_, std::chrono::hours(1));
  m.Start();
  auto start = std::chrono::steady_clock::now();
  m.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  m.Stop();  // idempotent
}

}  // namespace
}  // namespace idm::oauth::testing
