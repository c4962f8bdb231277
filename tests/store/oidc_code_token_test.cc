// Contract: AuthorizationCodeRepo and RefreshTokenRepo (oidc_repos.h), on every backend:
// single use of codes (RFC 6749 §4.1.2) and refresh-token rotation with reuse detection
// (RFC 9700 §4.14.2), including concurrent redemption from two transactions.
#include <atomic>
#include <chrono>
#include <thread>

#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

class CodeTokenTest : public OidcStoreTest {
 protected:
  void InsertCode(const core::AuthorizationCode& c) {
    auto tx = Write();
    ASSERT_STORE_OK(tx->codes().Insert(c));
    ASSERT_STORE_OK(tx->Commit());
  }
  void InsertToken(const core::RefreshToken& t) {
    auto tx = Write();
    ASSERT_STORE_OK(tx->refresh_tokens().Insert(t));
    ASSERT_STORE_OK(tx->Commit());
  }
  // Consume / Rotate in a transaction of its own, committed.
  Result<CodeConsumption> ConsumeAlone(const std::string& hash, core::UnixMillis now) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(auto out, tx->codes().Consume(hash, now));
    IDM_TRY(tx->Commit());
    return out;
  }
  Result<Rotation> RotateAlone(const std::string& hash, const core::RefreshToken& next,
                               core::UnixMillis now) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(auto out, tx->refresh_tokens().Rotate(hash, next, now));
    IDM_TRY(tx->Commit());
    return out;
  }
};
IDM_STORE_SUITE(CodeTokenTest);

TEST_P(CodeTokenTest, ConsumeReturnsEveryFieldOnceThenReportsReplay) {
  core::AuthorizationCode c = Code();
  InsertCode(c);
  auto first = ConsumeAlone(c.code_hash, kNow + 1000);
  ASSERT_STORE_OK(first);
  EXPECT_EQ(first->outcome, CodeOutcome::kConsumed);
  const core::AuthorizationCode& got = first->code;
  EXPECT_EQ(got.realm_id, c.realm_id);
  EXPECT_EQ(got.client_id, c.client_id);
  EXPECT_EQ(got.user_id, c.user_id);
  EXPECT_EQ(got.session_id, c.session_id);
  EXPECT_EQ(got.token_family_id, c.token_family_id);
  EXPECT_EQ(got.redirect_uri, c.redirect_uri);
  EXPECT_EQ(got.scope, c.scope);
  EXPECT_EQ(got.nonce, c.nonce);
  EXPECT_EQ(got.code_challenge, c.code_challenge);
  EXPECT_EQ(got.code_challenge_method, "S256");
  EXPECT_EQ(got.auth_time, kNow);
  EXPECT_EQ(got.acr, "1");
  EXPECT_EQ(got.amr, c.amr);
  EXPECT_EQ(got.claims_json, c.claims_json);
  EXPECT_EQ(got.created_at, kNow);
  EXPECT_EQ(got.expires_at, c.expires_at);
  EXPECT_EQ(got.consumed_at, kNow + 1000);

  auto second = ConsumeAlone(c.code_hash, kNow + 2000);
  ASSERT_STORE_OK(second);
  EXPECT_EQ(second->outcome, CodeOutcome::kAlreadyConsumed);
  EXPECT_EQ(second->code.consumed_at, kNow + 1000) << "the first redemption time is kept";
  EXPECT_EQ(second->code.token_family_id, c.token_family_id);
}

TEST_P(CodeTokenTest, ExpiredCodeIsNotConsumedAndUnknownCodeIsNotFound) {
  core::AuthorizationCode c = Code();
  InsertCode(c);
  auto late = ConsumeAlone(c.code_hash, c.expires_at);  // expires_at is exclusive
  ASSERT_STORE_OK(late);
  EXPECT_EQ(late->outcome, CodeOutcome::kExpired);
  EXPECT_EQ(late->code.consumed_at, 0);
  EXPECT_STORE_ERROR(ConsumeAlone("sha256:unknown", kNow), ErrorCode::kNotFound);
}

TEST_P(CodeTokenTest, ReplayOfAnExpiredCodeIsStillReportedAsReplay) {
  core::AuthorizationCode c = Code();
  InsertCode(c);
  ASSERT_STORE_OK(ConsumeAlone(c.code_hash, kNow));
  auto replay = ConsumeAlone(c.code_hash, c.expires_at + 1);
  ASSERT_STORE_OK(replay);
  EXPECT_EQ(replay->outcome, CodeOutcome::kAlreadyConsumed);
}

TEST_P(CodeTokenTest, ConsumeRolledBackLeavesTheCodeUsable) {
  core::AuthorizationCode c = Code();
  InsertCode(c);
  {
    auto tx = Write();
    auto r = tx->codes().Consume(c.code_hash, kNow);
    ASSERT_STORE_OK(r);
    EXPECT_EQ(r->outcome, CodeOutcome::kConsumed);
  }  // dropped: the token request failed later, nothing was issued
  auto again = ConsumeAlone(c.code_hash, kNow);
  ASSERT_STORE_OK(again);
  EXPECT_EQ(again->outcome, CodeOutcome::kConsumed);
}

TEST_P(CodeTokenTest, CodeInsertRefusesDuplicatesAndUnknownClients) {
  core::AuthorizationCode c = Code();
  InsertCode(c);
  EXPECT_STORE_ERROR(Write()->codes().Insert(c), ErrorCode::kConflict);
  core::AuthorizationCode orphan = Code();
  orphan.client_id = "no-such-client";
  EXPECT_STORE_ERROR(Write()->codes().Insert(orphan), ErrorCode::kConflict);
}

// Two token requests with one code race: the second waits for the first (row lock or single
// writer) and must then see the code consumed, never redeem it too.
TEST_P(CodeTokenTest, ConcurrentConsumeOfOneCodeLetsExactlyOneWin) {
  core::AuthorizationCode c = Code();
  InsertCode(c);
  auto first = Write();
  auto won = first->codes().Consume(c.code_hash, kNow);
  ASSERT_STORE_OK(won);
  ASSERT_EQ(won->outcome, CodeOutcome::kConsumed);
  std::atomic<int> other{-1};
  std::thread rival([&] {
    auto r = ConsumeAlone(c.code_hash, kNow + 1);
    other = r.ok() ? static_cast<int>(r->outcome) : -2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // let the rival block
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(other.load(), static_cast<int>(CodeOutcome::kAlreadyConsumed));
}

TEST_P(CodeTokenTest, ManyConcurrentConsumersRedeemACodeOnce) {
  core::AuthorizationCode c = Code();
  InsertCode(c);
  constexpr int kThreads = 6;
  std::atomic<int> consumed{0}, replays{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      auto r = ConsumeAlone(c.code_hash, kNow);
      if (!r.ok())
        ++errors;
      else if (r->outcome == CodeOutcome::kConsumed)
        ++consumed;
      else if (r->outcome == CodeOutcome::kAlreadyConsumed)
        ++replays;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(consumed.load(), 1);
  EXPECT_EQ(replays.load(), kThreads - 1);
  EXPECT_EQ(errors.load(), 0);
}

TEST_P(CodeTokenTest, DeleteExpiredCodesKeepsLiveOnes) {
  core::AuthorizationCode old = Code(), live = Code();
  old.expires_at = kNow;
  live.expires_at = kNow + 1;
  InsertCode(old);
  InsertCode(live);
  auto tx = Write();
  auto n = tx->codes().DeleteExpired(kNow);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 1);
  EXPECT_STORE_ERROR(tx->codes().Consume(old.code_hash, kNow - 1), ErrorCode::kNotFound);
  auto r = tx->codes().Consume(live.code_hash, kNow);
  ASSERT_STORE_OK(r);
  EXPECT_EQ(r->outcome, CodeOutcome::kConsumed);
}

TEST_P(CodeTokenTest, RefreshTokenRoundTripsAndNoUserIsEmpty) {
  core::RefreshToken t = Token(NewId());
  t.offline = true;
  t.user_id = "";
  t.auth_time = kNow - 7000;
  t.acr = "mfa";
  t.amr = {"pwd", "otp", "mfa"};
  InsertToken(t);
  auto got = Read()->refresh_tokens().GetByHash(t.token_hash);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->id, t.id);
  EXPECT_EQ(got->family_id, t.family_id);
  EXPECT_EQ(got->realm_id, t.realm_id);
  EXPECT_EQ(got->client_id, t.client_id);
  EXPECT_EQ(got->user_id, "");
  EXPECT_EQ(got->session_id, "sess-1");
  EXPECT_EQ(got->scope, t.scope);
  EXPECT_TRUE(got->offline);
  EXPECT_EQ(got->created_at, kNow);
  EXPECT_EQ(got->expires_at, t.expires_at);
  EXPECT_EQ(got->family_expires_at, t.family_expires_at);
  EXPECT_EQ(got->rotated_at, 0);
  EXPECT_EQ(got->replaced_by, "");
  EXPECT_EQ(got->revoked_at, 0);
  EXPECT_EQ(got->auth_time, kNow - 7000);  // OIDC Core §12.2: the original authentication
  EXPECT_EQ(got->acr, "mfa");
  EXPECT_EQ(got->amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
  EXPECT_STORE_ERROR(Read()->refresh_tokens().GetByHash("sha256:nope"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(Write()->refresh_tokens().Insert(t), ErrorCode::kConflict);
}

TEST_P(CodeTokenTest, RotateReplacesTheTokenAndReuseIsDetected) {
  core::RefreshToken t = Token(NewId());
  InsertToken(t);
  core::RefreshToken next = Token(t.family_id);
  next.expires_at = kNow + 5000 + 1800'000;
  auto r = RotateAlone(t.token_hash, next, kNow + 5000);
  ASSERT_STORE_OK(r);
  EXPECT_EQ(r->outcome, RotateOutcome::kRotated);
  EXPECT_EQ(r->old_token.rotated_at, kNow + 5000);
  EXPECT_EQ(r->old_token.replaced_by, next.id);
  auto stored = Read()->refresh_tokens().GetByHash(next.token_hash);
  ASSERT_STORE_OK(stored);
  EXPECT_EQ(stored->id, next.id);

  core::RefreshToken third = Token(t.family_id);
  auto reuse = RotateAlone(t.token_hash, third, kNow + 6000);
  ASSERT_STORE_OK(reuse);
  EXPECT_EQ(reuse->outcome, RotateOutcome::kAlreadyRotated);
  EXPECT_STORE_ERROR(Read()->refresh_tokens().GetByHash(third.token_hash), ErrorCode::kNotFound);
}

TEST_P(CodeTokenTest, RotatedTokenNeverOutlivesTheFamily) {
  core::RefreshToken t = Token(NewId());
  InsertToken(t);
  core::RefreshToken next = Token(t.family_id);
  next.expires_at = t.family_expires_at + 999'000;
  next.family_expires_at = t.family_expires_at + 999'000;  // an attempt to extend the family
  ASSERT_STORE_OK(RotateAlone(t.token_hash, next, kNow));
  auto stored = Read()->refresh_tokens().GetByHash(next.token_hash);
  ASSERT_STORE_OK(stored);
  EXPECT_EQ(stored->family_expires_at, t.family_expires_at);
  EXPECT_EQ(stored->expires_at, t.family_expires_at);
}

TEST_P(CodeTokenTest, RotateRefusesRevokedExpiredForeignFamilyAndUnknown) {
  core::RefreshToken revoked = Token(NewId()), expired = Token(NewId());
  expired.expires_at = kNow + 10;
  InsertToken(revoked);
  InsertToken(expired);
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->refresh_tokens().RevokeFamily(revoked.family_id, kNow));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto r1 = RotateAlone(revoked.token_hash, Token(revoked.family_id), kNow + 1);
  ASSERT_STORE_OK(r1);
  EXPECT_EQ(r1->outcome, RotateOutcome::kRevoked);
  auto r2 = RotateAlone(expired.token_hash, Token(expired.family_id), kNow + 10);
  ASSERT_STORE_OK(r2);
  EXPECT_EQ(r2->outcome, RotateOutcome::kExpired);
  core::RefreshToken live = Token(NewId());
  InsertToken(live);
  EXPECT_STORE_ERROR(RotateAlone(live.token_hash, Token(NewId()), kNow), ErrorCode::kInvalid);
  auto still = Read()->refresh_tokens().GetByHash(live.token_hash);
  ASSERT_STORE_OK(still);
  EXPECT_EQ(still->rotated_at, 0) << "a refused rotation writes nothing";
  EXPECT_STORE_ERROR(RotateAlone("sha256:nope", Token(NewId()), kNow), ErrorCode::kNotFound);
}

TEST_P(CodeTokenTest, ConcurrentRotateOfOneTokenLetsExactlyOneWin) {
  core::RefreshToken t = Token(NewId());
  InsertToken(t);
  auto first = Write();
  auto won = first->refresh_tokens().Rotate(t.token_hash, Token(t.family_id), kNow);
  ASSERT_STORE_OK(won);
  ASSERT_EQ(won->outcome, RotateOutcome::kRotated);
  core::RefreshToken rival_next = Token(t.family_id);
  std::atomic<int> other{-1};
  std::thread rival([&] {
    auto r = RotateAlone(t.token_hash, rival_next, kNow + 1);
    other = r.ok() ? static_cast<int>(r->outcome) : -2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(other.load(), static_cast<int>(RotateOutcome::kAlreadyRotated));
  EXPECT_STORE_ERROR(Read()->refresh_tokens().GetByHash(rival_next.token_hash),
                     ErrorCode::kNotFound);
}

TEST_P(CodeTokenTest, RevokeBySessionSparesOfflineTokensAndOtherSessions) {
  core::RefreshToken online = Token(NewId()), offline = Token(NewId()), other = Token(NewId());
  offline.offline = true;
  other.session_id = "sess-2";
  InsertToken(online);
  InsertToken(offline);
  InsertToken(other);
  auto tx = Write();
  auto n = tx->refresh_tokens().RevokeBySession("sess-1", kNow);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 1);
  auto none = tx->refresh_tokens().RevokeBySession("", kNow);
  ASSERT_STORE_OK(none);
  EXPECT_EQ(*none, 0) << "\"\" means no session and must not match tokens without one";
  EXPECT_EQ(tx->refresh_tokens().GetByHash(online.token_hash)->revoked_at, kNow);
  EXPECT_EQ(tx->refresh_tokens().GetByHash(offline.token_hash)->revoked_at, 0);
  EXPECT_EQ(tx->refresh_tokens().GetByHash(other.token_hash)->revoked_at, 0);
}

TEST_P(CodeTokenTest, RevokeFamilyAndByUserClientCountWhatTheyRevoke) {
  core::RefreshToken a = Token(NewId()), b = Token(NewId());
  core::Client other_client = MakeClient(realm_.id, "other");
  core::RefreshToken c = Token(NewId());
  c.client_id = other_client.id;
  InsertToken(a);
  InsertToken(b);
  InsertToken(c);
  auto tx = Write();
  auto fam = tx->refresh_tokens().RevokeFamily(a.family_id, kNow);
  ASSERT_STORE_OK(fam);
  EXPECT_EQ(*fam, 1);
  auto again = tx->refresh_tokens().RevokeFamily(a.family_id, kNow + 1);
  ASSERT_STORE_OK(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(tx->refresh_tokens().GetByHash(a.token_hash)->revoked_at, kNow);
  auto uc = tx->refresh_tokens().RevokeByUserClient(realm_.id, user_.id, client_.id, kNow);
  ASSERT_STORE_OK(uc);
  EXPECT_EQ(*uc, 1);  // b; a was already revoked
  EXPECT_EQ(tx->refresh_tokens().GetByHash(c.token_hash)->revoked_at, 0);
}

TEST_P(CodeTokenTest, DeleteExpiredTokensHonoursBothExpiries) {
  core::RefreshToken slid = Token(NewId()), capped = Token(NewId()), live = Token(NewId());
  slid.expires_at = kNow;
  capped.family_expires_at = kNow;
  InsertToken(slid);
  InsertToken(capped);
  InsertToken(live);
  auto tx = Write();
  auto n = tx->refresh_tokens().DeleteExpired(kNow);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 2);
  ASSERT_STORE_OK(tx->refresh_tokens().GetByHash(live.token_hash));
}

}  // namespace
}  // namespace idm::store::testing
