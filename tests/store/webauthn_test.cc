// Contract: WebAuthnRepo (webauthn_repo.h), on every backend: passkeys stored with every field
// and listed among the user's credentials, credential IDs unique per realm (WebAuthn L2 §7.1 step
// 22), lookup by user handle, the conditional sign-count update (also under two concurrent
// transactions), removal with the credential, and single-use challenges.
#include <atomic>
#include <chrono>
#include <thread>

#include "idm/core/webauthn_model.h"
#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

class WebAuthnStoreTest : public OidcStoreTest {
 protected:
  core::WebAuthnCredential Passkey(const std::string& user_id, const std::string& cred_id) {
    core::WebAuthnCredential w;
    w.id = NewId();
    w.realm_id = realm_.id;
    w.user_id = user_id;
    w.name = "laptop";
    w.credential_id = cred_id;
    w.user_handle = "handle-" + user_id;
    w.public_key = "pQECAyYgASFYIA";
    w.alg = -7;
    w.sign_count = 4;
    w.aaguid = "AAAAAAAAAAAAAAAAAAAAAA";
    w.transports = "internal hybrid";
    w.discoverable = true;
    w.user_verified = true;
    w.attestation_fmt = "none";
    w.created_at = kNow;
    return w;
  }
  void Insert(const core::WebAuthnCredential& w) {
    auto tx = Write();
    ASSERT_STORE_OK(tx->webauthn().Create(w));
    ASSERT_STORE_OK(tx->Commit());
  }
  core::WebAuthnChallenge Challenge(const std::string& flow, const std::string& value) {
    return {realm_.id, flow, core::kWebAuthnAuthenticate, value, user_.id, kNow, kNow + 300'000};
  }
  Result<bool> UpdateAlone(const std::string& id, int64_t old_count, int64_t new_count) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(bool ok, tx->webauthn().UpdateSignCount(realm_.id, id, old_count,
                                                                 new_count, kNow + 1));
    IDM_TRY(tx->Commit());
    return ok;
  }
};
IDM_STORE_SUITE(WebAuthnStoreTest);

TEST_P(WebAuthnStoreTest, CreateThenGetByCredentialIdReturnsEveryField) {
  core::WebAuthnCredential w = Passkey(user_.id, "cred-1");
  Insert(w);
  auto got = Read()->webauthn().GetByCredentialId(realm_.id, "cred-1");
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->id, w.id);
  EXPECT_EQ(got->user_id, user_.id);
  EXPECT_EQ(got->name, "laptop");
  EXPECT_EQ(got->user_handle, w.user_handle);
  EXPECT_EQ(got->public_key, w.public_key);
  EXPECT_EQ(got->alg, -7);
  EXPECT_EQ(got->sign_count, 4);
  EXPECT_EQ(got->aaguid, w.aaguid);
  EXPECT_EQ(got->transports, "internal hybrid");
  EXPECT_TRUE(got->discoverable);
  EXPECT_TRUE(got->user_verified);
  EXPECT_EQ(got->attestation_fmt, "none");
  EXPECT_EQ(got->created_at, kNow);
}

TEST_P(WebAuthnStoreTest, PasskeyIsListedAsAConfirmedWebAuthnCredentialWithoutSecret) {
  core::WebAuthnCredential w = Passkey(user_.id, "cred-1");
  Insert(w);
  auto creds = Read()->credentials().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(creds);
  ASSERT_EQ(creds->size(), 1u);
  EXPECT_EQ((*creds)[0].type, "webauthn");
  EXPECT_EQ((*creds)[0].name, "laptop");
  EXPECT_EQ((*creds)[0].confirmed_at, kNow);
  EXPECT_EQ((*creds)[0].secret, "");
}

TEST_P(WebAuthnStoreTest, CredentialIdIsUniquePerRealm) {
  Insert(Passkey(user_.id, "cred-1"));
  core::User bob = MakeUser(realm_.id, "bob");
  auto tx = Write();
  auto again = tx->webauthn().Create(Passkey(bob.id, "cred-1"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_P(WebAuthnStoreTest, UnknownCredentialIdIsNotFound) {
  auto got = Read()->webauthn().GetByCredentialId(realm_.id, "nope");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(WebAuthnStoreTest, UserByHandleFindsTheOwnerOnly) {
  Insert(Passkey(user_.id, "cred-1"));
  auto found = Read()->webauthn().UserByHandle(realm_.id, "handle-" + user_.id);
  ASSERT_STORE_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, user_.id);
  auto none = Read()->webauthn().UserByHandle(realm_.id, "handle-unknown");
  ASSERT_STORE_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST_P(WebAuthnStoreTest, ListByUserReturnsOnlyThatUsersPasskeysOldestFirst) {
  core::WebAuthnCredential a = Passkey(user_.id, "cred-a");
  core::WebAuthnCredential b = Passkey(user_.id, "cred-b");
  b.created_at = kNow + 5;
  Insert(b);
  Insert(a);
  core::User bob = MakeUser(realm_.id, "bob");
  Insert(Passkey(bob.id, "cred-c"));
  auto list = Read()->webauthn().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].credential_id, "cred-a");
  EXPECT_EQ((*list)[1].credential_id, "cred-b");
}

TEST_P(WebAuthnStoreTest, SignCountUpdatesOnlyFromTheValueRead) {
  core::WebAuthnCredential w = Passkey(user_.id, "cred-1");
  Insert(w);
  auto stale = UpdateAlone(w.id, 3, 9);
  ASSERT_STORE_OK(stale);
  EXPECT_FALSE(*stale);
  auto ok = UpdateAlone(w.id, 4, 9);
  ASSERT_STORE_OK(ok);
  EXPECT_TRUE(*ok);
  auto got = Read()->webauthn().GetByCredentialId(realm_.id, "cred-1");
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->sign_count, 9);
  EXPECT_EQ(got->last_used_at, kNow + 1);
  auto gone = UpdateAlone("no-such-id", 4, 5);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(WebAuthnStoreTest, ConcurrentSignCountUpdatesFromOneValueLetExactlyOneWin) {
  core::WebAuthnCredential w = Passkey(user_.id, "cred-1");
  Insert(w);
  auto first = Write();
  auto won = first->webauthn().UpdateSignCount(realm_.id, w.id, 4, 5, kNow);
  ASSERT_STORE_OK(won);
  ASSERT_TRUE(*won);
  std::atomic<int> other{-1};
  std::thread rival([&] {
    auto r = UpdateAlone(w.id, 4, 5);
    other = r.ok() ? static_cast<int>(*r) : -2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // let the rival block
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(other.load(), 0) << "a second node accepted the same signature counter";
}

TEST_P(WebAuthnStoreTest, DeletingTheCredentialRemovesThePasskey) {
  core::WebAuthnCredential w = Passkey(user_.id, "cred-1");
  Insert(w);
  {
    auto tx = Write();
    auto n = tx->credentials().DeleteByUser(realm_.id, user_.id);
    ASSERT_STORE_OK(n);
    EXPECT_EQ(*n, 1);
    ASSERT_STORE_OK(tx->Commit());
  }
  auto got = Read()->webauthn().GetByCredentialId(realm_.id, "cred-1");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(WebAuthnStoreTest, ChallengeIsTakenOnceAndReplacedByANewerOne) {
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->webauthn().PutChallenge(Challenge("flow-1", "old")));
    ASSERT_STORE_OK(tx->webauthn().PutChallenge(Challenge("flow-1", "new")));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto tx = Write();
  auto replaced = tx->webauthn().TakeChallenge(realm_.id, "old", core::kWebAuthnAuthenticate);
  ASSERT_STORE_OK(replaced);
  EXPECT_FALSE(replaced->has_value()) << "a replaced challenge must not verify";
  auto taken = tx->webauthn().TakeChallenge(realm_.id, "new", core::kWebAuthnAuthenticate);
  ASSERT_STORE_OK(taken);
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->flow_id, "flow-1");
  EXPECT_EQ((*taken)->user_id, user_.id);
  EXPECT_EQ((*taken)->expires_at, kNow + 300'000);
  auto again = tx->webauthn().TakeChallenge(realm_.id, "new", core::kWebAuthnAuthenticate);
  ASSERT_STORE_OK(again);
  EXPECT_FALSE(again->has_value());
}

TEST_P(WebAuthnStoreTest, ChallengeOfAnotherPurposeIsNotTaken) {
  core::WebAuthnChallenge reg = Challenge("flow-1", "reg");
  reg.purpose = core::kWebAuthnRegister;
  auto tx = Write();
  ASSERT_STORE_OK(tx->webauthn().PutChallenge(reg));
  auto wrong = tx->webauthn().TakeChallenge(realm_.id, "reg", core::kWebAuthnAuthenticate);
  ASSERT_STORE_OK(wrong);
  EXPECT_FALSE(wrong->has_value());
  auto right = tx->webauthn().TakeChallenge(realm_.id, "reg", core::kWebAuthnRegister);
  ASSERT_STORE_OK(right);
  EXPECT_TRUE(right->has_value());
}

TEST_P(WebAuthnStoreTest, PuttingAChallengeDeletesExpiredOnes) {
  {
    auto tx = Write();
    core::WebAuthnChallenge old = Challenge("flow-old", "x");
    old.expires_at = kNow - 1;
    ASSERT_STORE_OK(tx->webauthn().PutChallenge(old));
    ASSERT_STORE_OK(tx->webauthn().PutChallenge(Challenge("flow-new", "y")));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto tx = Write();
  auto taken = tx->webauthn().TakeChallenge(realm_.id, "x", core::kWebAuthnAuthenticate);
  ASSERT_STORE_OK(taken);
  EXPECT_FALSE(taken->has_value());
}

}  // namespace
}  // namespace idm::store::testing
