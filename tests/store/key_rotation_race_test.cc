// Scheduled rotation with several nodes on one database (docs/design/015): two KeyService
// instances — two nodes with their own caches — decide and rotate the same due realm at once;
// exactly one rotation per algorithm commits, on every backend (on PostgreSQL the loser either
// sees the committed rotation or fails its conditional key update).
#include <thread>

#include "idm/crypto/kek.h"
#include "idm/crypto/secure_random.h"
#include "idm/oauth/keys/key_service.h"
#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

class KeyRotationRaceTest : public StoreTest {};
IDM_STORE_SUITE(KeyRotationRaceTest);

TEST_P(KeyRotationRaceTest, TwoNodesRotatingADueRealmRotateItOnce) {
  constexpr core::UnixMillis kT0 = 1'700'000'000'000;
  core::Realm realm = MakeRealm("acme");
  realm.settings.key_rotation_interval_s = 86400;
  {
    auto tx = Write();
    auto updated = tx->realms().Update(realm);
    ASSERT_STORE_OK(updated);
    realm = *updated;
    ASSERT_STORE_OK(tx->Commit());
  }
  crypto::SecureRandom random_a, random_b;
  crypto::Kek kek = crypto::Kek::Generate(random_a);
  core::FakeClock clock(kT0);
  oauth::KeyService node_a(*store_, kek, random_a, clock);
  oauth::KeyService node_b(*store_, kek, random_b, clock);
  ASSERT_TRUE(node_a.EnsureKeys({"system", "", "", kT0}, realm));
  clock.Advance(std::chrono::seconds(86401));

  core::ServiceResult<int> a = 0, b = 0;
  core::OpContext ctx{"system", "", "", clock.NowMillis()};
  std::thread ta([&] { a = node_a.RotateIfDue(ctx, realm); });
  std::thread tb([&] { b = node_b.RotateIfDue(ctx, realm); });
  ta.join();
  tb.join();
  int rotated = 0;
  for (const auto* r : {&a, &b}) {
    if (r->ok()) {
      rotated += **r;
    } else {
      EXPECT_EQ(r->error().code, core::ServiceErrorCode::kPreconditionFailed) << r->error().detail;
    }
  }
  EXPECT_EQ(rotated, 2);  // ES256 and RS256, once each

  auto keys = Read()->keys().List(realm.id);
  ASSERT_STORE_OK(keys);
  for (const char* alg : {"ES256", "RS256"}) {
    int active = 0, next = 0, retired = 0;
    for (const core::SigningKey& k : *keys) {
      if (k.alg != alg) continue;
      active += k.status == core::KeyStatus::kActive;
      next += k.status == core::KeyStatus::kNext;
      retired += k.status == core::KeyStatus::kRetired;
    }
    EXPECT_EQ(active, 1) << alg;
    EXPECT_EQ(next, 1) << alg;
    EXPECT_EQ(retired, 1) << alg;
  }
}

}  // namespace
}  // namespace idm::store::testing
