// Contract: CredentialRepo and RecoveryCodeRepo (mfa_repos.h), on every backend: the stored
// fields, confirmation, the TOTP replay guard (RFC 6238 §5.2: a time step is accepted once) and
// single use of recovery codes, both also under two concurrent transactions.
#include <atomic>
#include <chrono>
#include <thread>

#include "idm/core/mfa_model.h"
#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

class MfaCredentialTest : public OidcStoreTest {
 protected:
  core::Credential Totp(const std::string& user_id, const std::string& name = "phone") {
    core::Credential c;
    c.id = NewId();
    c.realm_id = realm_.id;
    c.user_id = user_id;
    c.type = core::kCredentialTotp;
    c.name = name;
    c.secret = "AQ-sealed-seed";
    c.created_at = kNow;
    return c;
  }
  void Insert(const core::Credential& c) {
    auto tx = Write();
    ASSERT_STORE_OK(tx->credentials().Create(c));
    ASSERT_STORE_OK(tx->Commit());
  }
  Result<bool> AcceptAlone(const core::Credential& c, int64_t step) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(bool ok, tx->credentials().AcceptTotpStep(realm_.id, c.user_id, c.id,
                                                                   step, kNow + 1));
    IDM_TRY(tx->Commit());
    return ok;
  }
  Result<bool> UseAlone(const std::string& hash) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(bool ok, tx->recovery_codes().Use(realm_.id, user_.id, hash, kNow + 1));
    IDM_TRY(tx->Commit());
    return ok;
  }
  void StoreCodes(const std::vector<std::string>& hashes) {
    std::vector<core::RecoveryCode> codes;
    for (const std::string& h : hashes) codes.push_back({h, realm_.id, user_.id, kNow, 0});
    auto tx = Write();
    ASSERT_STORE_OK(tx->recovery_codes().Replace(realm_.id, user_.id, codes));
    ASSERT_STORE_OK(tx->Commit());
  }
};
IDM_STORE_SUITE(MfaCredentialTest);

TEST_P(MfaCredentialTest, CreateThenGetReturnsEveryFieldUnconfirmed) {
  core::Credential c = Totp(user_.id);
  Insert(c);
  auto got = Read()->credentials().Get(realm_.id, user_.id, c.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->type, "totp");
  EXPECT_EQ(got->name, "phone");
  EXPECT_EQ(got->secret, "AQ-sealed-seed");
  EXPECT_EQ(got->algorithm, "SHA1");
  EXPECT_EQ(got->digits, 6);
  EXPECT_EQ(got->period, 30);
  EXPECT_FALSE(got->last_used_step.has_value());
  EXPECT_EQ(got->confirmed_at, 0);
  EXPECT_EQ(got->created_at, kNow);
}

TEST_P(MfaCredentialTest, CreateForAnAbsentUserIsConflict) {
  auto tx = Write();
  auto r = tx->credentials().Create(Totp("no-such-user"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST_P(MfaCredentialTest, GetOfAnotherUsersCredentialIsNotFound) {
  core::User bob = MakeUser(realm_.id, "bob");
  core::Credential c = Totp(bob.id);
  Insert(c);
  auto got = Read()->credentials().Get(realm_.id, user_.id, c.id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(MfaCredentialTest, ListRenameDeleteAndDeleteByUser) {
  core::Credential a = Totp(user_.id, "a");
  core::Credential b = Totp(user_.id, "b");
  b.created_at = kNow + 1;
  Insert(a);
  Insert(b);
  auto tx = Write();
  ASSERT_STORE_OK(tx->credentials().Rename(realm_.id, user_.id, a.id, "laptop"));
  auto list = tx->credentials().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "laptop");
  EXPECT_EQ((*list)[1].name, "b");
  ASSERT_STORE_OK(tx->credentials().Delete(realm_.id, user_.id, a.id));
  auto again = tx->credentials().Delete(realm_.id, user_.id, a.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto renamed = tx->credentials().Rename(realm_.id, user_.id, a.id, "x");
  EXPECT_EQ(renamed.error().code, ErrorCode::kNotFound);
  auto n = tx->credentials().DeleteByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 1);
  ASSERT_STORE_OK(tx->Commit());
}

TEST_P(MfaCredentialTest, ConfirmSetsConfirmedAtOnce) {
  core::Credential c = Totp(user_.id);
  Insert(c);
  auto tx = Write();
  ASSERT_STORE_OK(tx->credentials().Confirm(realm_.id, user_.id, c.id, kNow + 5));
  auto twice = tx->credentials().Confirm(realm_.id, user_.id, c.id, kNow + 6);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kNotFound);
  auto got = tx->credentials().Get(realm_.id, user_.id, c.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->confirmed_at, kNow + 5);
}

TEST_P(MfaCredentialTest, AcceptTotpStepAcceptsEachStepOnceAndNeverAnOlderOne) {
  core::Credential c = Totp(user_.id);
  Insert(c);
  auto first = AcceptAlone(c, 100);
  ASSERT_STORE_OK(first);
  EXPECT_TRUE(*first);
  auto replay = AcceptAlone(c, 100);
  ASSERT_STORE_OK(replay);
  EXPECT_FALSE(*replay) << "the same time step was accepted twice";
  auto older = AcceptAlone(c, 99);
  ASSERT_STORE_OK(older);
  EXPECT_FALSE(*older) << "a step older than the last accepted one was accepted";
  auto newer = AcceptAlone(c, 101);
  ASSERT_STORE_OK(newer);
  EXPECT_TRUE(*newer);
  auto got = Read()->credentials().Get(realm_.id, user_.id, c.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->last_used_step.value_or(-1), 101);
  EXPECT_EQ(got->last_used_at, kNow + 1);
}

TEST_P(MfaCredentialTest, AcceptTotpStepOfAnAbsentCredentialIsNotFound) {
  auto r = Write()->credentials().AcceptTotpStep(realm_.id, user_.id, "nope", 1, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(MfaCredentialTest, ConcurrentAcceptOfOneStepLetsExactlyOneWin) {
  core::Credential c = Totp(user_.id);
  Insert(c);
  auto first = Write();
  auto won = first->credentials().AcceptTotpStep(realm_.id, user_.id, c.id, 500, kNow);
  ASSERT_STORE_OK(won);
  ASSERT_TRUE(*won);
  std::atomic<int> other{-1};
  std::thread rival([&] {
    auto r = AcceptAlone(c, 500);
    other = r.ok() ? static_cast<int>(*r) : -2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // let the rival block
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(other.load(), 0) << "a second node accepted the same TOTP step";
}

TEST_P(MfaCredentialTest, RecoveryCodeIsUsableOnceAndOnlyByItsUser) {
  StoreCodes({"h1", "h2"});
  auto first = UseAlone("h1");
  ASSERT_STORE_OK(first);
  EXPECT_TRUE(*first);
  auto again = UseAlone("h1");
  ASSERT_STORE_OK(again);
  EXPECT_FALSE(*again);
  auto unknown = UseAlone("h9");
  ASSERT_STORE_OK(unknown);
  EXPECT_FALSE(*unknown);
  core::User bob = MakeUser(realm_.id, "bob");
  auto tx = Write();
  auto foreign = tx->recovery_codes().Use(realm_.id, bob.id, "h2", kNow);
  ASSERT_STORE_OK(foreign);
  EXPECT_FALSE(*foreign);
  auto list = tx->recovery_codes().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(list);
  ASSERT_EQ(list->size(), 2u);
  int used = 0;
  for (const auto& c : *list) used += c.used_at != 0 ? 1 : 0;
  EXPECT_EQ(used, 1);
}

TEST_P(MfaCredentialTest, ReplaceDiscardsEveryEarlierCode) {
  StoreCodes({"old1", "old2"});
  StoreCodes({"new1"});
  auto list = Read()->recovery_codes().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].code_hash, "new1");
  auto old = UseAlone("old1");
  ASSERT_STORE_OK(old);
  EXPECT_FALSE(*old);
}

TEST_P(MfaCredentialTest, ConcurrentUseOfOneRecoveryCodeLetsExactlyOneWin) {
  StoreCodes({"h1"});
  auto first = Write();
  auto won = first->recovery_codes().Use(realm_.id, user_.id, "h1", kNow);
  ASSERT_STORE_OK(won);
  ASSERT_TRUE(*won);
  std::atomic<int> other{-1};
  std::thread rival([&] {
    auto r = UseAlone("h1");
    other = r.ok() ? static_cast<int>(*r) : -2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(other.load(), 0) << "a recovery code was used twice";
}

TEST_P(MfaCredentialTest, DeletingTheUserDeletesCredentialsAndCodes) {
  Insert(Totp(user_.id));
  StoreCodes({"h1"});
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->users().Delete(realm_.id, user_.id));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto list = Read()->credentials().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(list);
  EXPECT_TRUE(list->empty());
  auto codes = Read()->recovery_codes().ListByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(codes);
  EXPECT_TRUE(codes->empty());
}

}  // namespace
}  // namespace idm::store::testing
