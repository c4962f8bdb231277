// Scheduled key rotation: NextRotationStep (rotation_policy.h) and KeyService::RotateIfDue —
// the next key is in JWKS before it signs, and a second rotation decided on stale keys fails.
#include <set>

#include "idm/oauth/keys/rotation_policy.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;
constexpr core::UnixMillis kT0 = 1'700'000'000'000;

core::SigningKey Key(core::KeyStatus status, core::UnixMillis created, core::UnixMillis activated) {
  core::SigningKey k;
  k.kid = std::to_string(created) + "-" + std::to_string(static_cast<int>(status));
  k.alg = "ES256";
  k.status = status;
  k.created_at = created;
  k.activated_at = activated;
  return k;
}

TEST(RotationPolicy, DecidesFromTheActiveKeyAgeAndTheNextKeyLead) {
  const int64_t day = 86400;
  std::vector<core::SigningKey> keys = {Key(core::KeyStatus::kNext, kT0, 0),
                                        Key(core::KeyStatus::kActive, kT0, kT0)};
  auto step = [&](int64_t interval, core::UnixMillis now) {
    return NextRotationStep(keys, crypto::JwsAlg::kEs256, interval, day, now);
  };
  EXPECT_EQ(step(0, kT0 + 1000 * day * 1000), RotationStep::kNothing) << "by hand only";
  EXPECT_EQ(step(90 * day, kT0 + (90 * day - 1) * 1000), RotationStep::kNothing);
  EXPECT_EQ(step(90 * day, kT0 + 90 * day * 1000), RotationStep::kRotate);
  // A next key published only now must wait for the lead (capped at half the interval).
  keys[0].created_at = kT0 + 90 * day * 1000;
  EXPECT_EQ(step(90 * day, kT0 + 90 * day * 1000), RotationStep::kWaitForNext);
  EXPECT_EQ(step(90 * day, kT0 + 91 * day * 1000), RotationStep::kRotate);
  EXPECT_EQ(NextRotationStep(keys, crypto::JwsAlg::kEs256, 10, day, kT0 + 90 * day * 1000 + 5000),
            RotationStep::kRotate)
      << "a 10 s interval needs only 5 s of lead";
  keys.erase(keys.begin());
  EXPECT_EQ(step(90 * day, kT0 + 91 * day * 1000), RotationStep::kPublishNext);
  EXPECT_EQ(NextRotationStep(keys, crypto::JwsAlg::kRs256, 90 * day, day, kT0 + 91 * day * 1000),
            RotationStep::kNothing)
      << "no active RS256 key: EnsureKeys' job";
}

class ScheduledRotationTest : public OAuthTest {
 protected:
  void SetInterval(int64_t seconds) {
    core::Realm r = Realm();
    r.settings.key_rotation_interval_s = seconds;
    auto updated = realms_->Update(Ctx(), "acme", r, r.version);
    ASSERT_TRUE(updated) << updated.error().detail;
  }
  std::vector<core::SigningKey> Keys() {
    auto tx = store_->Begin(store::TxMode::kReadOnly);
    auto keys = (*tx)->keys().List(Realm().id);
    EXPECT_TRUE(keys);
    return *keys;
  }
  static std::string KidOf(const std::vector<core::SigningKey>& keys, const std::string& alg,
                           core::KeyStatus status) {
    for (const auto& k : keys) {
      if (k.alg == alg && k.status == status) return k.kid;
    }
    return "";
  }
};

// The realm setting is at least a day (realm_validation.cc); the fake clock jumps over it.
constexpr auto kDayAndASecond = std::chrono::seconds(86401);

TEST_F(ScheduledRotationTest, RotatesWhenDuePromotingThePublishedNextKey) {
  SetInterval(86400);
  auto before = Keys();
  std::string next = KidOf(before, "ES256", core::KeyStatus::kNext);
  std::string active = KidOf(before, "ES256", core::KeyStatus::kActive);
  auto early = keys_->RotateIfDue(Ctx(), Realm());
  ASSERT_TRUE(early) << early.error().detail;
  EXPECT_EQ(*early, 0);
  clock_.Advance(kDayAndASecond);
  auto due = keys_->RotateIfDue(Ctx(), Realm());
  ASSERT_TRUE(due) << due.error().detail;
  EXPECT_EQ(*due, 2);  // ES256 and RS256
  auto after = Keys();
  EXPECT_EQ(KidOf(after, "ES256", core::KeyStatus::kActive), next);
  EXPECT_EQ(KidOf(after, "ES256", core::KeyStatus::kRetired), active);
  std::string new_next = KidOf(after, "ES256", core::KeyStatus::kNext);
  ASSERT_FALSE(new_next.empty());
  // JWKS publishes the new next key (before it signs) and still the retired one.
  auto published = keys_->Keys(Realm());
  ASSERT_TRUE(published);
  std::set<std::string> kids;
  Json jwks = Json::parse((*published)->jwks_json);
  for (const Json& k : jwks["keys"]) {
    kids.insert(k["kid"].get<std::string>());
  }
  EXPECT_TRUE(kids.count(new_next));
  EXPECT_TRUE(kids.count(active));
  // Right after a rotation nothing is due.
  auto again = keys_->RotateIfDue(Ctx(), Realm());
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

TEST_F(ScheduledRotationTest, RetiredKeyIsPrunedOnlyAfterItsTokensExpired) {
  SetInterval(86400);
  clock_.Advance(kDayAndASecond);
  ASSERT_TRUE(keys_->RotateIfDue(Ctx(), Realm()));
  auto pruned_now = keys_->Prune(Ctx(), Realm());
  ASSERT_TRUE(pruned_now);
  EXPECT_EQ(*pruned_now, 0);
  // access/id token lifetime 300 s + 60 s leeway.
  clock_.Advance(std::chrono::seconds(361));
  auto pruned = keys_->Prune(Ctx(), Realm());
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 2);
}

// design 014: a client's own access_token_ttl_s may exceed the realm's; the retired key stays
// published until that client's last token expired too.
TEST_F(ScheduledRotationTest, RetiredKeyOutlivesTheLongestClientAccessTokenLifetime) {
  MakeClient(ClientSpec{});
  auto svc = clients_->GetByClientId("acme", "svc");
  ASSERT_TRUE(svc);
  svc->access_token_ttl_s = 3600;
  ASSERT_TRUE(clients_->Update(Ctx(), "acme", svc->id, *svc, svc->version));
  SetInterval(86400);
  clock_.Advance(kDayAndASecond);
  ASSERT_TRUE(keys_->RotateIfDue(Ctx(), Realm()));
  clock_.Advance(std::chrono::seconds(361));  // past the realm's lifetimes + leeway
  auto kept = keys_->Prune(Ctx(), Realm());
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, 0);
  clock_.Advance(std::chrono::seconds(3600));  // past the client's lifetime + leeway
  auto pruned = keys_->Prune(Ctx(), Realm());
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 2);
}

TEST_F(ScheduledRotationTest, ZeroIntervalNeverRotates) {
  SetInterval(0);
  clock_.Advance(std::chrono::hours(24 * 400));
  auto r = keys_->RotateIfDue(Ctx(), Realm());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 0);
}

}  // namespace
}  // namespace idm::oauth::testing
