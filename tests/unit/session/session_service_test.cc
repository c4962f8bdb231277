// SessionService (idm/session/session_service.h) over a real store: only the cookie's hash is
// stored, idle expiry slides with use but never past the absolute expiry, other realms' and
// revoked sessions are not found.
#include "idm/session/session_service.h"

#include <gtest/gtest.h>

#include "idm/crypto/secret.h"
#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

class SessionServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    core::Realm changes = acme_;
    changes.settings.sso_session_idle_s = 60;
    changes.settings.sso_session_max_s = 150;
    auto updated = env_.realms_->Update(env_.ctx_, "acme", changes, acme_.version);
    ASSERT_TRUE(updated.ok()) << updated.error().detail;
    acme_ = *updated;
    user_ = env_.MakeUser("acme", "alice");
    core::Client draft;
    draft.client_id = "app";
    draft.type = core::ClientType::kPublic;
    draft.token_endpoint_auth_method = "none";
    draft.redirect_uris = {"https://app.example/cb"};
    draft.grant_types = {"authorization_code"};
    client_ = env_.clients_->Create(env_.ctx_, "acme", draft)->client;
  }

  session::StartedSession Start(core::UnixMillis now) {
    auto tx = env_.store_->Begin(store::TxMode::kReadWrite);
    auto started = sessions_.Start(**tx, acme_, {user_.id, now, "", {"pwd"}}, client_.id, now);
    EXPECT_TRUE(started.ok());
    EXPECT_TRUE((*tx)->Commit().ok());
    return *started;
  }

  bool Usable(const std::string& cookie, core::UnixMillis now, const core::Realm& realm) {
    auto tx = env_.store_->Begin(store::TxMode::kReadOnly);
    auto found = sessions_.Find(**tx, realm, cookie, now);
    EXPECT_TRUE(found.ok());
    return found.ok() && found->has_value();
  }

  void Touch(const std::string& cookie, core::UnixMillis now) {
    auto tx = env_.store_->Begin(store::TxMode::kReadWrite);
    auto found = sessions_.Find(**tx, acme_, cookie, now);
    ASSERT_TRUE(found.ok() && found->has_value());
    ASSERT_TRUE(sessions_.Touch(**tx, acme_, **found, client_.id, now).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  session::SessionService sessions_{env_.random_};
  core::User user_;
  core::Client client_;
};

constexpr core::UnixMillis kT0 = 1'700'000'000'000;

TEST_F(SessionServiceTest, StoresOnlyTheHashOfAPrefixedCookie) {
  session::StartedSession s = Start(kT0);
  EXPECT_EQ(s.cookie_value.rfind("idm_ss_", 0), 0u);
  EXPECT_EQ(s.session.session_hash, crypto::HashSecret(s.cookie_value));
  EXPECT_EQ(s.session.session_hash.find(s.cookie_value), std::string::npos);
  EXPECT_EQ(s.session.idle_expires_at, kT0 + 60'000);
  EXPECT_EQ(s.session.absolute_expires_at, kT0 + 150'000);
  EXPECT_TRUE(Usable(s.cookie_value, kT0, acme_));
  EXPECT_FALSE(Usable("idm_ss_forged", kT0, acme_));
  EXPECT_FALSE(Usable("not-even-our-format", kT0, acme_));
}

TEST_F(SessionServiceTest, IdleExpiryEndsAnUnusedSession) {
  session::StartedSession s = Start(kT0);
  EXPECT_TRUE(Usable(s.cookie_value, kT0 + 59'999, acme_));
  EXPECT_FALSE(Usable(s.cookie_value, kT0 + 60'000, acme_));
}

TEST_F(SessionServiceTest, UseSlidesTheIdleExpiryButNeverPastTheAbsoluteOne) {
  session::StartedSession s = Start(kT0);
  Touch(s.cookie_value, kT0 + 50'000);
  EXPECT_TRUE(Usable(s.cookie_value, kT0 + 100'000, acme_)) << "idle slid to t0+110 s";
  Touch(s.cookie_value, kT0 + 100'000);
  Touch(s.cookie_value, kT0 + 140'000);
  EXPECT_TRUE(Usable(s.cookie_value, kT0 + 149'999, acme_));
  EXPECT_FALSE(Usable(s.cookie_value, kT0 + 150'000, acme_)) << "absolute expiry";
  EXPECT_EQ(session::IdleExpiry(acme_.settings, kT0 + 140'000, kT0 + 150'000), kT0 + 150'000);
}

TEST_F(SessionServiceTest, RevokedAndOtherRealmsSessionsAreNotFound) {
  session::StartedSession s = Start(kT0);
  core::Realm other = env_.MakeRealm("other");
  EXPECT_FALSE(Usable(s.cookie_value, kT0, other));
  auto tx = env_.store_->Begin(store::TxMode::kReadWrite);
  ASSERT_TRUE((*tx)->sessions().Revoke(s.session.id, kT0).ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_FALSE(Usable(s.cookie_value, kT0 + 1, acme_));
}

}  // namespace
}  // namespace idm::svctest
