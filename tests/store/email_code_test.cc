// Contract: EmailCodeRepo and SmtpSettingsRepo (email_repos.h, migration 0006), on every backend:
// one code per user and purpose, the resend throttle, single use (also under two concurrent
// transactions), expiry, the attempt limit, and a realm's SMTP settings.
#include <atomic>
#include <chrono>
#include <thread>

#include "idm/core/email_model.h"
#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

constexpr int64_t kTtl = 600000;
constexpr int64_t kMaxAttempts = 5;

class EmailCodeTest : public OidcStoreTest {
 protected:
  core::EmailCode Code(const std::string& hash, core::UnixMillis at = kNow,
                       const std::string& purpose = core::kEmailCodeMfa,
                       const std::string& user_id = "") {
    return {NewId(), realm_.id, user_id.empty() ? user_.id : user_id, purpose, hash, at + kTtl,
            0, 0, at};
  }
  Result<bool> IssueAlone(const core::EmailCode& c, core::UnixMillis not_before) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(bool ok, tx->email_codes().Issue(c, not_before));
    IDM_TRY(tx->Commit());
    return ok;
  }
  Result<bool> UseAlone(const std::string& hash, core::UnixMillis at = kNow + 1,
                        const std::string& purpose = core::kEmailCodeMfa) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_ASSIGN_OR_RETURN(bool ok, tx->email_codes().Use(realm_.id, user_.id, purpose, hash, at,
                                                        kMaxAttempts));
    IDM_TRY(tx->Commit());
    return ok;
  }
};
IDM_STORE_SUITE(EmailCodeTest);

TEST_P(EmailCodeTest, IssuedCodeIsStoredWithEveryField) {
  core::EmailCode c = Code("h1");
  auto issued = IssueAlone(c, kNow - 30000);
  ASSERT_STORE_OK(issued);
  EXPECT_TRUE(*issued);
  auto got = Read()->email_codes().Get(realm_.id, user_.id, core::kEmailCodeMfa);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->id, c.id);
  EXPECT_EQ(got->code_hash, "h1");
  EXPECT_EQ(got->expires_at, kNow + kTtl);
  EXPECT_EQ(got->attempts, 0);
  EXPECT_EQ(got->used_at, 0);
  EXPECT_EQ(got->created_at, kNow);
}

TEST_P(EmailCodeTest, ResendWithinTheIntervalIsRefusedAndKeepsTheFirstCode) {
  ASSERT_STORE_OK(IssueAlone(Code("h1"), kNow - 30000));
  auto again = IssueAlone(Code("h2", kNow + 10000), kNow + 10000 - 30000);
  ASSERT_STORE_OK(again);
  EXPECT_FALSE(*again);
  auto got = Read()->email_codes().Get(realm_.id, user_.id, core::kEmailCodeMfa);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->code_hash, "h1");
}

TEST_P(EmailCodeTest, ResendAfterTheIntervalReplacesTheOlderCode) {
  ASSERT_STORE_OK(IssueAlone(Code("h1"), kNow - 30000));
  const core::UnixMillis later = kNow + 31000;
  auto again = IssueAlone(Code("h2", later), later - 30000);
  ASSERT_STORE_OK(again);
  EXPECT_TRUE(*again);
  auto old = UseAlone("h1", later + 1);
  ASSERT_STORE_OK(old);
  EXPECT_FALSE(*old) << "the replaced code still works";
  auto fresh = UseAlone("h2", later + 1);
  ASSERT_STORE_OK(fresh);
  EXPECT_TRUE(*fresh);
}

TEST_P(EmailCodeTest, CodeIsUsableOnceAndOnlyForItsPurposeAndUser) {
  ASSERT_STORE_OK(IssueAlone(Code("h1"), kNow - 30000));
  auto other_purpose = UseAlone("h1", kNow + 1, core::kEmailCodeSignIn);
  ASSERT_STORE_OK(other_purpose);
  EXPECT_FALSE(*other_purpose);
  core::User bob = MakeUser(realm_.id, "bob");
  {
    auto tx = Write();
    auto foreign = tx->email_codes().Use(realm_.id, bob.id, core::kEmailCodeMfa, "h1", kNow + 1,
                                         kMaxAttempts);
    ASSERT_STORE_OK(foreign);
    EXPECT_FALSE(*foreign);
    ASSERT_STORE_OK(tx->Commit());
  }
  auto first = UseAlone("h1");
  ASSERT_STORE_OK(first);
  EXPECT_TRUE(*first);
  auto replay = UseAlone("h1");
  ASSERT_STORE_OK(replay);
  EXPECT_FALSE(*replay);
}

TEST_P(EmailCodeTest, ExpiredCodeIsRefused) {
  ASSERT_STORE_OK(IssueAlone(Code("h1"), kNow - 30000));
  auto at_expiry = UseAlone("h1", kNow + kTtl);
  ASSERT_STORE_OK(at_expiry);
  EXPECT_FALSE(*at_expiry);
}

TEST_P(EmailCodeTest, WrongTriesAreCountedAndTheFifthKillsTheCode) {
  ASSERT_STORE_OK(IssueAlone(Code("h1"), kNow - 30000));
  for (int i = 0; i < kMaxAttempts; ++i) {
    auto wrong = UseAlone("wrong");
    ASSERT_STORE_OK(wrong);
    EXPECT_FALSE(*wrong);
  }
  auto got = Read()->email_codes().Get(realm_.id, user_.id, core::kEmailCodeMfa);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->attempts, kMaxAttempts);
  auto right = UseAlone("h1");
  ASSERT_STORE_OK(right);
  EXPECT_FALSE(*right) << "a code outlived its attempt limit";
}

TEST_P(EmailCodeTest, ConcurrentUseOfOneCodeLetsExactlyOneWin) {
  ASSERT_STORE_OK(IssueAlone(Code("h1"), kNow - 30000));
  auto first = Write();
  auto won = first->email_codes().Use(realm_.id, user_.id, core::kEmailCodeMfa, "h1", kNow + 1,
                                      kMaxAttempts);
  ASSERT_STORE_OK(won);
  ASSERT_TRUE(*won);
  std::atomic<int> other{-1};
  std::thread rival([&] {
    auto r = UseAlone("h1");
    other = r.ok() ? static_cast<int>(*r) : -2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // let the rival block
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(other.load(), 0) << "an email code was used twice";
}

TEST_P(EmailCodeTest, ConcurrentIssuesWithinTheIntervalStoreOneCode) {
  ASSERT_STORE_OK(IssueAlone(Code("h0", kNow - 60000), kNow - 90000));
  auto first = Write();
  auto won = first->email_codes().Issue(Code("h1"), kNow - 30000);
  ASSERT_STORE_OK(won);
  ASSERT_TRUE(*won);
  std::atomic<int> other{-1};
  std::thread rival([&] {
    auto r = IssueAlone(Code("h2", kNow + 5), kNow + 5 - 30000);
    other = r.ok() ? static_cast<int>(*r) : -2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(other.load(), 0) << "two codes were issued within the resend interval";
}

TEST_P(EmailCodeTest, DeleteByUserRemovesEveryPurpose) {
  ASSERT_STORE_OK(IssueAlone(Code("h1"), kNow - 30000));
  ASSERT_STORE_OK(IssueAlone(Code("h2", kNow, core::kEmailCodeSignIn), kNow - 30000));
  auto tx = Write();
  auto n = tx->email_codes().DeleteByUser(realm_.id, user_.id);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 2);
  auto gone = tx->email_codes().Get(realm_.id, user_.id, core::kEmailCodeMfa);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(EmailCodeTest, IssueForAnAbsentUserIsConflict) {
  auto r = IssueAlone(Code("h1", kNow, core::kEmailCodeMfa, "no-such-user"), kNow - 30000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST_P(EmailCodeTest, SmtpSettingsRoundTripReplaceAndDelete) {
  core::SmtpConfig c{realm_.id, "mail.example", 465, "tls", "idm", "sealed", "idm@example.com",
                     "Acme", kNow};
  {
    auto tx = Write();
    auto absent = tx->smtp_settings().Get(realm_.id);
    ASSERT_FALSE(absent.ok());
    EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
    ASSERT_STORE_OK(tx->smtp_settings().Put(c));
    c.port = 587;
    c.security = "starttls";
    ASSERT_STORE_OK(tx->smtp_settings().Put(c));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto got = Read()->smtp_settings().Get(realm_.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->host, "mail.example");
  EXPECT_EQ(got->port, 587);
  EXPECT_EQ(got->security, "starttls");
  EXPECT_EQ(got->username, "idm");
  EXPECT_EQ(got->password_sealed, "sealed");
  EXPECT_EQ(got->from_address, "idm@example.com");
  EXPECT_EQ(got->from_name, "Acme");
  auto tx = Write();
  ASSERT_STORE_OK(tx->smtp_settings().Delete(realm_.id));
  auto again = tx->smtp_settings().Delete(realm_.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(EmailCodeTest, SmtpSettingsForAnAbsentRealmIsConflict) {
  core::SmtpConfig c{"no-such-realm", "h", 25, "none", "", "", "a@b.c", "", kNow};
  auto tx = Write();
  auto r = tx->smtp_settings().Put(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace idm::store::testing
