// Contract: ConsentRepo, LoginFailureRepo and JtiRepo (oidc_repos.h), and the cascades that
// remove a user's or client's OIDC state with it, on every backend.
#include <atomic>
#include <thread>

#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

class ConsentLockoutTest : public OidcStoreTest {
 protected:
  core::Consent Consent(std::vector<std::string> scopes, core::UnixMillis at) {
    core::Consent c;
    c.realm_id = realm_.id;
    c.user_id = user_.id;
    c.client_id = client_.id;
    c.scopes = std::move(scopes);
    c.created_at = c.updated_at = at;
    return c;
  }
  Result<core::LoginFailureCounter> Fail(const std::string& key, core::UnixMillis at,
                                         const LockoutPolicy& p) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(auto c, tx->login_failures().RecordFailure(realm_.id, key, at, p));
    IDM_TRY(tx->Commit());
    return c;
  }
  core::UsedJti Jti(const std::string& jti, core::UnixMillis expires_at) {
    return {realm_.id, client_.id, jti, expires_at};
  }
};
IDM_STORE_SUITE(ConsentLockoutTest);

TEST_P(ConsentLockoutTest, UpsertKeepsCreatedAtAndStoresScopesSortedOnce) {
  auto tx = Write();
  auto first = tx->consents().Upsert(Consent({"profile", "openid", "profile"}, kNow));
  ASSERT_STORE_OK(first);
  EXPECT_EQ(first->scopes, (std::vector<std::string>{"openid", "profile"}));
  auto second = tx->consents().Upsert(Consent({"email", "openid"}, kNow + 60));
  ASSERT_STORE_OK(second);
  EXPECT_EQ(second->created_at, kNow);
  EXPECT_EQ(second->updated_at, kNow + 60);
  auto got = tx->consents().Get(realm_.id, user_.id, client_.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->scopes, (std::vector<std::string>{"email", "openid"}));
  EXPECT_EQ(got->created_at, kNow);
}

TEST_P(ConsentLockoutTest, ConsentListDeleteAndMissingReferences) {
  core::Client other = MakeClient(realm_.id, "other");
  auto tx = Write();
  ASSERT_STORE_OK(tx->consents().Upsert(Consent({"openid"}, kNow)));
  core::Consent c2 = Consent({"openid"}, kNow);
  c2.client_id = other.id;
  ASSERT_STORE_OK(tx->consents().Upsert(c2));
  auto list = tx->consents().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_LT((*list)[0].client_id, (*list)[1].client_id);
  ASSERT_STORE_OK(tx->consents().Delete(realm_.id, user_.id, client_.id));
  EXPECT_STORE_ERROR(tx->consents().Delete(realm_.id, user_.id, client_.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->consents().Get(realm_.id, user_.id, client_.id), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->Commit());
  tx.reset();  // the SQLite writer connection is held until the transaction is gone
  core::Consent orphan = Consent({"openid"}, kNow);
  orphan.user_id = "nope";
  EXPECT_STORE_ERROR(Write()->consents().Upsert(orphan), ErrorCode::kConflict);
}

TEST_P(ConsentLockoutTest, FailuresCountUpAndLockAtTheThreshold) {
  LockoutPolicy p{3, 900'000, 60'000};
  auto f1 = Fail("user:alice", kNow, p);
  ASSERT_STORE_OK(f1);
  EXPECT_EQ(f1->failures, 1);
  EXPECT_EQ(f1->first_failure_at, kNow);
  EXPECT_EQ(f1->locked_until, 0);
  ASSERT_STORE_OK(Fail("user:alice", kNow + 1, p));
  auto f3 = Fail("user:alice", kNow + 2, p);
  ASSERT_STORE_OK(f3);
  EXPECT_EQ(f3->failures, 3);
  EXPECT_EQ(f3->first_failure_at, kNow);
  EXPECT_EQ(f3->last_failure_at, kNow + 2);
  EXPECT_EQ(f3->locked_until, kNow + 2 + 60'000);
  auto other = Fail("ip:192.0.2.1", kNow, p);
  ASSERT_STORE_OK(other);
  EXPECT_EQ(other->failures, 1) << "keys count separately";
}

TEST_P(ConsentLockoutTest, AFailureAfterTheWindowStartsANewCount) {
  LockoutPolicy p{3, 1000, 60'000};
  ASSERT_STORE_OK(Fail("k", kNow, p));
  ASSERT_STORE_OK(Fail("k", kNow + 500, p));
  auto fresh = Fail("k", kNow + 500 + 1001, p);
  ASSERT_STORE_OK(fresh);
  EXPECT_EQ(fresh->failures, 1);
  EXPECT_EQ(fresh->first_failure_at, kNow + 1501);
  EXPECT_EQ(fresh->locked_until, 0);
}

TEST_P(ConsentLockoutTest, PolicyWithoutThresholdNeverLocks) {
  LockoutPolicy never{0, 0, 60'000};
  for (int i = 0; i < 5; ++i) ASSERT_STORE_OK(Fail("k", kNow + i, never));
  auto got = Read()->login_failures().Get(realm_.id, "k");
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->failures, 5);
  EXPECT_EQ(got->locked_until, 0);
}

TEST_P(ConsentLockoutTest, ConcurrentFailuresAreAllCounted) {
  LockoutPolicy p{1000, 0, 1};
  constexpr int kThreads = 4, kEach = 5;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (!Fail("user:race", kNow, p).ok()) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  auto got = Read()->login_failures().Get(realm_.id, "user:race");
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->failures, kThreads * kEach);
}

TEST_P(ConsentLockoutTest, UnlockClearsTheLockAndResetForgetsTheCounter) {
  LockoutPolicy p{1, 0, 60'000};
  ASSERT_STORE_OK(Fail("k", kNow, p));
  auto tx = Write();
  ASSERT_STORE_OK(tx->login_failures().Unlock(realm_.id, "k"));
  auto got = tx->login_failures().Get(realm_.id, "k");
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->failures, 0);
  EXPECT_EQ(got->locked_until, 0);
  EXPECT_EQ(got->last_failure_at, kNow);
  ASSERT_STORE_OK(tx->login_failures().Reset(realm_.id, "k"));
  ASSERT_STORE_OK(tx->login_failures().Reset(realm_.id, "k"));
  EXPECT_STORE_ERROR(tx->login_failures().Get(realm_.id, "k"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->login_failures().Unlock(realm_.id, "k"), ErrorCode::kNotFound);
}

TEST_P(ConsentLockoutTest, JtiIsRefusedWhileRememberedAndAcceptedAfterExpiry) {
  auto tx = Write();
  auto first = tx->jtis().InsertIfAbsent(Jti("j1", kNow + 60'000), kNow);
  ASSERT_STORE_OK(first);
  EXPECT_TRUE(*first);
  auto replay = tx->jtis().InsertIfAbsent(Jti("j1", kNow + 90'000), kNow + 1);
  ASSERT_STORE_OK(replay);
  EXPECT_FALSE(*replay) << "RFC 7523 §3: a jti is used once";
  auto later = tx->jtis().InsertIfAbsent(Jti("j1", kNow + 200'000), kNow + 60'000);
  ASSERT_STORE_OK(later);
  EXPECT_TRUE(*later);
  auto again = tx->jtis().InsertIfAbsent(Jti("j1", kNow + 200'000), kNow + 60'001);
  ASSERT_STORE_OK(again);
  EXPECT_FALSE(*again) << "the replaced entry is remembered until its new expiry";
  ASSERT_STORE_OK(tx->jtis().InsertIfAbsent(Jti("j2", kNow + 10), kNow));
  auto n = tx->jtis().DeleteExpired(kNow + 10);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 1);
  ASSERT_STORE_OK(tx->Commit());
  tx.reset();  // the SQLite writer connection is held until the transaction is gone
  core::UsedJti orphan = Jti("j3", kNow + 10);
  orphan.client_id = "nope";
  EXPECT_STORE_ERROR(Write()->jtis().InsertIfAbsent(orphan, kNow), ErrorCode::kConflict);
}

TEST_P(ConsentLockoutTest, ConcurrentInsertOfOneJtiAcceptsItOnce) {
  constexpr int kThreads = 4;
  std::atomic<int> accepted{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto tx = store_->Begin(TxMode::kReadWrite);
      if (!tx) {
        ++errors;
        return;
      }
      auto r = (*tx)->jtis().InsertIfAbsent(Jti("race", kNow + 60'000), kNow);
      if (!r || !(*tx)->Commit()) {
        ++errors;
        return;
      }
      if (*r) ++accepted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(accepted.load(), 1);
}

TEST_P(ConsentLockoutTest, DeletingTheUserRemovesSessionsCodesTokensConsentsAndFlows) {
  core::SsoSession s = Session();
  core::AuthorizationCode code = Code();
  core::RefreshToken token = Token(NewId());
  core::LoginFlow flow;
  flow.id = NewId();
  flow.realm_id = realm_.id;
  flow.client_id = client_.id;
  flow.user_id = user_.id;
  flow.expires_at = kNow + 1000;
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->sessions().Create(s));
    ASSERT_STORE_OK(tx->codes().Insert(code));
    ASSERT_STORE_OK(tx->refresh_tokens().Insert(token));
    ASSERT_STORE_OK(tx->consents().Upsert(Consent({"openid"}, kNow)));
    ASSERT_STORE_OK(tx->login_flows().Create(flow));
    ASSERT_STORE_OK(tx->users().Delete(realm_.id, user_.id));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->sessions().GetByHash(s.session_hash), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->codes().Consume(code.code_hash, kNow), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->refresh_tokens().GetByHash(token.token_hash), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->consents().Get(realm_.id, user_.id, client_.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->login_flows().Get(realm_.id, flow.id, kNow), ErrorCode::kNotFound);
}

TEST_P(ConsentLockoutTest, DeletingTheClientRemovesItsStateAndSessionMembership) {
  core::SsoSession s = Session();
  s.client_ids = {client_.id};
  core::AuthorizationCode code = Code();
  core::RefreshToken token = Token(NewId());
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->sessions().Create(s));
    ASSERT_STORE_OK(tx->codes().Insert(code));
    ASSERT_STORE_OK(tx->refresh_tokens().Insert(token));
    ASSERT_STORE_OK(tx->consents().Upsert(Consent({"openid"}, kNow)));
    ASSERT_STORE_OK(tx->jtis().InsertIfAbsent(Jti("j", kNow + 1000), kNow));
    ASSERT_STORE_OK(tx->clients().Delete(realm_.id, client_.id));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto tx = Write();
  auto session = tx->sessions().Get(realm_.id, s.id);
  ASSERT_STORE_OK(session);
  EXPECT_TRUE(session->client_ids.empty()) << "the session stays, without the client";
  EXPECT_STORE_ERROR(tx->codes().Consume(code.code_hash, kNow), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->refresh_tokens().GetByHash(token.token_hash), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->consents().Get(realm_.id, user_.id, client_.id), ErrorCode::kNotFound);
}

TEST_P(ConsentLockoutTest, DeletingTheRealmRemovesLockoutCounters) {
  ASSERT_STORE_OK(Fail("k", kNow, LockoutPolicy{}));
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->realms().Delete(realm_.id));
    ASSERT_STORE_OK(tx->Commit());
  }
  EXPECT_STORE_ERROR(Read()->login_failures().Get(realm_.id, "k"), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace idm::store::testing
