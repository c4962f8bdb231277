#include "idm/realm/audit_service.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>

#include "idm/store/audit_hash.h"
#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::ServiceErrorCode;

// Runs one SQL statement against the database file directly, as an attacker with file access
// would, bypassing idm entirely.
void RawSql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

class AuditServiceTest : public ServiceTest {
 protected:
  // Five events in acme: RealmCreated + four UserCreated.
  void SetUp() override {
    ServiceTest::SetUp();
    for (const char* name : {"u1", "u2", "u3", "u4"}) env_.MakeUser("acme", name);
  }
  std::string Where(int seq) {
    return " WHERE realm_id = '" + acme_.id + "' AND seq = " + std::to_string(seq);
  }
  realm::ChainReport Verify() {
    auto report = env_.audit_->Verify("acme");
    EXPECT_TRUE(report.ok());
    return report.ok() ? *report : realm::ChainReport{};
  }
};

TEST_F(AuditServiceTest, EveryChangeIsOneEventAndTheChainVerifies) {
  auto events = env_.Events("acme");
  ASSERT_EQ(events.size(), 5u);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, static_cast<int64_t>(i + 1));
    // A time-ordered id (core::NewTimeOrderedUuid): version 7, led by the event's time in ms.
    const std::string& id = events[i].id;
    ASSERT_EQ(id.size(), 36u) << id;
    EXPECT_EQ(id[14], '7') << id;
    char ms[13];
    std::snprintf(ms, sizeof ms, "%012llx", static_cast<unsigned long long>(events[i].time));
    EXPECT_EQ(id.substr(0, 8) + id.substr(9, 4), ms) << id;
    EXPECT_EQ(events[i].prev_hash, i == 0 ? store::kGenesisHash : events[i - 1].hash);
  }
  auto report = Verify();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.realm, "acme");
  EXPECT_EQ(report.events_checked, 5);
  EXPECT_EQ(report.first_bad_seq, 0);
  EXPECT_EQ(report.reason, "");
}

TEST_F(AuditServiceTest, ListPagesBySeqAndValidatesParameters) {
  auto page = env_.audit_->List("acme", 2, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 3);
  EXPECT_EQ((*page)[1].seq, 4);
  EXPECT_TRUE(HasViolation(env_.audit_->List("acme", 0, 0).error(), "limit"));
  EXPECT_TRUE(HasViolation(env_.audit_->List("acme", 0, 1001).error(), "limit"));
  EXPECT_TRUE(HasViolation(env_.audit_->List("acme", -1, 10).error(), "after_seq"));
  EXPECT_EQ(env_.audit_->List("nope", 0, 10).error().code, ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.audit_->Verify("nope").error().code, ServiceErrorCode::kNotFound);
}

TEST_F(AuditServiceTest, DetectsAnEditedEventAtItsSeq) {
  RawSql(env_.db_path_, "UPDATE audit_events SET actor = 'user:someone-else'" + Where(3));
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_EQ(report.events_checked, 3);
  EXPECT_NE(report.reason.find("hash mismatch"), std::string::npos);
}

TEST_F(AuditServiceTest, DetectsAnEditWhoseHashWasRecomputedAtTheNextSeq) {
  auto events = env_.Events("acme");
  core::AuditEvent forged = events[1];  // seq 2
  forged.details = R"({"username":"forged"})";
  std::string hash = store::AuditEventHash(forged.prev_hash, forged);
  RawSql(env_.db_path_, "UPDATE audit_events SET details = '" + forged.details + "', hash = '" +
                            hash + "'" + Where(2));
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.reason.find("prev_hash"), std::string::npos);
}

TEST_F(AuditServiceTest, DetectsADeletedEvent) {
  RawSql(env_.db_path_, "DELETE FROM audit_events" + Where(2));
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.reason.find("sequence gap"), std::string::npos);
}

TEST_F(AuditServiceTest, DetectsTruncationOfTheNewestEvents) {
  // The remaining chain links perfectly; only the recorded head tells that it was longer.
  RawSql(env_.db_path_, "DELETE FROM audit_events WHERE realm_id = '" + acme_.id + "' AND seq >= 4");
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 4);
  EXPECT_NE(report.reason.find("newest events were deleted"), std::string::npos) << report.reason;
}

TEST_F(AuditServiceTest, DetectsATamperedFirstEvent) {
  RawSql(env_.db_path_, "UPDATE audit_events SET time = time + 1" + Where(1));
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 1);
}

TEST_F(AuditServiceTest, VerifyAllReportsEachRealmByName) {
  RawSql(env_.db_path_, "UPDATE audit_events SET type = 'Nothing'" + Where(4));
  auto reports = env_.audit_->VerifyAll();
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 2u);
  EXPECT_EQ((*reports)[0].realm, "acme");
  EXPECT_FALSE((*reports)[0].ok);
  EXPECT_EQ((*reports)[0].first_bad_seq, 4);
  EXPECT_EQ((*reports)[1].realm, "master");
  EXPECT_TRUE((*reports)[1].ok);
}

TEST_F(AuditServiceTest, FailedChangesLeaveNoEvent) {
  core::User dup;
  dup.username = "U1";
  ASSERT_FALSE(env_.users_->Create(env_.ctx_, "acme", dup, std::nullopt).ok());
  EXPECT_EQ(env_.Events("acme").size(), 5u);
  EXPECT_TRUE(Verify().ok);
}

}  // namespace
}  // namespace idm::svctest
