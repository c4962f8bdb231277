// Contract: SessionRepo and LoginFlowRepo (oidc_repos.h), on every backend.
#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

class SessionFlowTest : public OidcStoreTest {
 protected:
  void CreateSession(const core::SsoSession& s) {
    auto tx = Write();
    ASSERT_STORE_OK(tx->sessions().Create(s));
    ASSERT_STORE_OK(tx->Commit());
  }
  core::LoginFlow Flow() {
    core::LoginFlow f;
    f.id = NewId();
    f.realm_id = realm_.id;
    f.client_id = client_.id;
    f.request_json = R"({"response_type":"code","scope":"openid"})";
    f.csrf_secret = "csrf-1";
    f.created_at = f.updated_at = kNow;
    f.expires_at = kNow + 600'000;
    return f;
  }
};
IDM_STORE_SUITE(SessionFlowTest);

TEST_P(SessionFlowTest, SessionRoundTripsByIdAndByHash) {
  core::SsoSession s = Session();
  s.amr = {"pwd", "otp"};
  s.client_ids = {client_.id};
  CreateSession(s);
  auto tx = Read();
  auto by_id = tx->sessions().Get(realm_.id, s.id);
  ASSERT_STORE_OK(by_id);
  auto by_hash = tx->sessions().GetByHash(s.session_hash);
  ASSERT_STORE_OK(by_hash);
  for (const core::SsoSession* got : {&*by_id, &*by_hash}) {
    EXPECT_EQ(got->id, s.id);
    EXPECT_EQ(got->user_id, user_.id);
    EXPECT_EQ(got->session_hash, s.session_hash);
    EXPECT_EQ(got->auth_time, kNow);
    EXPECT_EQ(got->last_seen_at, kNow);
    EXPECT_EQ(got->idle_expires_at, s.idle_expires_at);
    EXPECT_EQ(got->absolute_expires_at, s.absolute_expires_at);
    EXPECT_EQ(got->acr, "1");
    EXPECT_EQ(got->amr, s.amr);
    EXPECT_EQ(got->client_ids, s.client_ids);
    EXPECT_EQ(got->created_at, kNow);
    EXPECT_EQ(got->revoked_at, 0);
  }
  EXPECT_STORE_ERROR(tx->sessions().GetByHash("sha256:other"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->sessions().Get("other-realm", s.id), ErrorCode::kNotFound);
}

TEST_P(SessionFlowTest, SessionHashIsUniqueAndUserMustExist) {
  core::SsoSession s = Session();
  CreateSession(s);
  core::SsoSession dup = Session();
  dup.session_hash = s.session_hash;
  EXPECT_STORE_ERROR(Write()->sessions().Create(dup), ErrorCode::kConflict);
  core::SsoSession orphan = Session();
  orphan.user_id = "no-such-user";
  EXPECT_STORE_ERROR(Write()->sessions().Create(orphan), ErrorCode::kConflict);
}

TEST_P(SessionFlowTest, TouchSlidesIdleExpiryButNotPastTheAbsoluteOne) {
  core::SsoSession s = Session();
  CreateSession(s);
  auto tx = Write();
  ASSERT_STORE_OK(tx->sessions().Touch(s.id, kNow + 100, kNow + 100 + 1800'000));
  EXPECT_EQ(tx->sessions().Get(realm_.id, s.id)->idle_expires_at, kNow + 100 + 1800'000);
  ASSERT_STORE_OK(tx->sessions().Touch(s.id, kNow + 200, s.absolute_expires_at + 5));
  auto got = tx->sessions().Get(realm_.id, s.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->last_seen_at, kNow + 200);
  EXPECT_EQ(got->idle_expires_at, s.absolute_expires_at);
  EXPECT_STORE_ERROR(tx->sessions().Touch("nope", kNow, kNow), ErrorCode::kNotFound);
}

TEST_P(SessionFlowTest, RevokedSessionCannotBeTouchedOrReauthenticated) {
  core::SsoSession s = Session();
  CreateSession(s);
  auto tx = Write();
  ASSERT_STORE_OK(tx->sessions().Revoke(s.id, kNow + 5));
  ASSERT_STORE_OK(tx->sessions().Revoke(s.id, kNow + 9));  // twice is fine, first time kept
  EXPECT_EQ(tx->sessions().Get(realm_.id, s.id)->revoked_at, kNow + 5);
  EXPECT_STORE_ERROR(tx->sessions().Touch(s.id, kNow + 10, kNow + 20), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->sessions().Reauthenticate(s.id, kNow + 10, "2", {"pwd"}),
                     ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->sessions().Revoke("nope", kNow), ErrorCode::kNotFound);
}

TEST_P(SessionFlowTest, ReauthenticateRecordsStepUp) {
  core::SsoSession s = Session();
  CreateSession(s);
  auto tx = Write();
  ASSERT_STORE_OK(tx->sessions().Reauthenticate(s.id, kNow + 50, "2", {"pwd", "hwk"}));
  auto got = tx->sessions().Get(realm_.id, s.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->auth_time, kNow + 50);
  EXPECT_EQ(got->acr, "2");
  EXPECT_EQ(got->amr, (std::vector<std::string>{"pwd", "hwk"}));
}

TEST_P(SessionFlowTest, AddClientIsIdempotentAndNeedsExistingSessionAndClient) {
  core::SsoSession s = Session();
  CreateSession(s);
  core::Client other = MakeClient(realm_.id, "other");
  auto tx = Write();
  ASSERT_STORE_OK(tx->sessions().AddClient(s.id, client_.id));
  ASSERT_STORE_OK(tx->sessions().AddClient(s.id, client_.id));
  ASSERT_STORE_OK(tx->sessions().AddClient(s.id, other.id));
  std::vector<std::string> want = {client_.id, other.id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(tx->sessions().Get(realm_.id, s.id)->client_ids, want);
  EXPECT_STORE_ERROR(tx->sessions().AddClient("nope", client_.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->sessions().AddClient(s.id, "no-such-client"), ErrorCode::kConflict);
}

TEST_P(SessionFlowTest, ListActiveByUserSkipsRevokedAndExpiredAndRevokeByUserCounts) {
  core::SsoSession live = Session(), revoked = Session(), idle = Session();
  live.created_at = kNow + 1;
  idle.idle_expires_at = kNow;
  CreateSession(live);
  CreateSession(revoked);
  CreateSession(idle);
  auto tx = Write();
  ASSERT_STORE_OK(tx->sessions().Revoke(revoked.id, kNow));
  auto list = tx->sessions().ListActiveByUser(realm_.id, user_.id, kNow);
  ASSERT_STORE_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, live.id);
  auto n = tx->sessions().RevokeByUser(realm_.id, user_.id, kNow + 1);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 2);  // live and idle; revoked was already
  EXPECT_TRUE(tx->sessions().ListActiveByUser(realm_.id, user_.id, kNow)->empty());
}

TEST_P(SessionFlowTest, DeleteExpiredSessionsRemovesIdleAbsoluteAndRevoked) {
  core::SsoSession idle = Session(), absolute = Session(), revoked = Session(), live = Session();
  idle.idle_expires_at = kNow;
  absolute.absolute_expires_at = kNow;
  revoked.client_ids = {client_.id};
  for (const auto& s : {idle, absolute, revoked, live}) CreateSession(s);
  auto tx = Write();
  ASSERT_STORE_OK(tx->sessions().Revoke(revoked.id, kNow - 1));
  auto n = tx->sessions().DeleteExpired(kNow);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 3);
  ASSERT_STORE_OK(tx->sessions().Get(realm_.id, live.id));
  EXPECT_STORE_ERROR(tx->sessions().Get(realm_.id, revoked.id), ErrorCode::kNotFound);
}

TEST_P(SessionFlowTest, FlowRoundTripsAndUpdatesWithOptimisticVersion) {
  core::LoginFlow f = Flow();
  {
    auto tx = Write();
    auto created = tx->login_flows().Create(f);
    ASSERT_STORE_OK(created);
    EXPECT_EQ(created->version, 1);
    ASSERT_STORE_OK(tx->Commit());
  }
  auto got = Read()->login_flows().Get(realm_.id, f.id, kNow);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->state, core::LoginFlowState::kStarted);
  EXPECT_EQ(got->client_id, client_.id);
  EXPECT_EQ(got->request_json, f.request_json);
  EXPECT_EQ(got->user_id, "");
  EXPECT_EQ(got->csrf_secret, "csrf-1");
  EXPECT_EQ(got->expires_at, f.expires_at);

  core::LoginFlow next = *got;
  next.state = core::LoginFlowState::kMfaPending;
  next.user_id = user_.id;
  next.amr = {"pwd"};
  next.updated_at = kNow + 10;
  auto tx = Write();
  auto updated = tx->login_flows().Update(next);
  ASSERT_STORE_OK(updated);
  EXPECT_EQ(updated->version, 2);
  // A second node that read version 1 loses.
  core::LoginFlow stale = *got;
  stale.state = core::LoginFlowState::kFailed;
  EXPECT_STORE_ERROR(tx->login_flows().Update(stale), ErrorCode::kVersionMismatch);
  auto now = tx->login_flows().Get(realm_.id, f.id, kNow);
  ASSERT_STORE_OK(now);
  EXPECT_EQ(now->state, core::LoginFlowState::kMfaPending);
  EXPECT_EQ(now->user_id, user_.id);
  EXPECT_EQ(now->amr, next.amr);
  EXPECT_EQ(now->version, 2);
  core::LoginFlow gone = next;
  gone.id = "nope";
  EXPECT_STORE_ERROR(tx->login_flows().Update(gone), ErrorCode::kNotFound);
}

TEST_P(SessionFlowTest, ExpiredFlowIsNotFoundAndDeleteExpiredRemovesIt) {
  core::LoginFlow f = Flow();
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->login_flows().Create(f));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto tx = Write();
  ASSERT_STORE_OK(tx->login_flows().Get(realm_.id, f.id, f.expires_at - 1));
  EXPECT_STORE_ERROR(tx->login_flows().Get(realm_.id, f.id, f.expires_at), ErrorCode::kNotFound);
  auto n = tx->login_flows().DeleteExpired(f.expires_at);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 1);
  EXPECT_STORE_ERROR(tx->login_flows().Delete(realm_.id, f.id), ErrorCode::kNotFound);
}

TEST_P(SessionFlowTest, FlowRefusesUnknownClientOrUser) {
  core::LoginFlow bad_client = Flow();
  bad_client.client_id = "nope";
  EXPECT_STORE_ERROR(Write()->login_flows().Create(bad_client), ErrorCode::kConflict);
  core::LoginFlow bad_user = Flow();
  bad_user.user_id = "nope";
  EXPECT_STORE_ERROR(Write()->login_flows().Create(bad_user), ErrorCode::kConflict);
}

}  // namespace
}  // namespace idm::store::testing
