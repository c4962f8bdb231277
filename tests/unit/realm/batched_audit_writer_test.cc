// realm::BatchedAuditWriter (docs/design/014, "Client-credentials audit") on SQLite and
// PostgreSQL: batched appends keep each realm's hash chain, the background thread flushes on its
// interval or a full batch, Stop writes what is queued, and a full queue drops and counts.
#include "idm/realm/batched_audit_writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "idm/core/json.h"
#include "idm/core/metrics.h"
#include "idm/crypto/secure_random.h"
#include "idm/realm/audit_service.h"
#include "idm/store/store.h"
#include "tests/support/scratch_database.h"

namespace idm::realm {
namespace {

using Options = BatchedAuditWriter::Options;
using std::chrono::hours;
using std::chrono::milliseconds;

class BatchedAuditWriterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!idm::testing::BackendAvailable(GetParam())) {
      GTEST_SKIP() << GetParam() << " is not configured (set IDM_TEST_PG_URL)";
    }
    db_ = std::make_unique<idm::testing::ScratchDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto store = store::Open(db_->url(), store::OpenOptions{});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate());
    core::Realm r;
    r.id = core::NewUuid(random_);
    r.name = "acme";
    r.display_name = "Acme";
    auto tx = store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx);
    auto created = (*tx)->realms().Create(r);
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE((*tx)->Commit());
    realm_id_ = created->id;
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  core::AuditEvent Event(int n) {
    core::AuditEvent e;
    e.id = core::NewUuid(random_);
    e.realm_id = realm_id_;
    e.time = 1700000000000 + n;
    e.type = "AccessTokenIssued";
    e.actor = "client:svc";
    e.resource_type = "client";
    e.resource_id = "svc";
    e.details = core::Json{{"n", n}}.dump();
    return e;
  }
  std::vector<core::AuditEvent> Stored() {
    auto tx = store_->Begin(store::TxMode::kReadOnly);
    EXPECT_TRUE(tx);
    auto events = (*tx)->audit().List(realm_id_, 0, 1000);
    EXPECT_TRUE(events);
    return events ? *events : std::vector<core::AuditEvent>{};
  }
  // Polls until `n` events are stored or 5 s passed.
  bool WaitForStored(size_t n) {
    for (int i = 0; i < 100; ++i) {
      if (Stored().size() >= n) return true;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  }

  crypto::SecureRandom random_;
  std::unique_ptr<idm::testing::ScratchDatabase> db_;
  std::unique_ptr<store::Store> store_;
  std::string realm_id_;
  core::metrics::Registry metrics_;
};

TEST_P(BatchedAuditWriterTest, EventsAppearAfterFlushInOrderOnAnIntactChain) {
  BatchedAuditWriter writer(*store_, &metrics_, Options{});
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(writer.Record(Event(i)));
  EXPECT_TRUE(Stored().empty());
  ASSERT_TRUE(writer.Flush());
  std::vector<core::AuditEvent> stored = Stored();
  ASSERT_EQ(stored.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(stored[i].seq, i + 1);
    EXPECT_EQ(core::Json::parse(stored[i].details)["n"], i + 1);
  }
  auto report = AuditService(*store_).Verify("acme");
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_NE(metrics_.Render().find("idm_audit_events_written_total 3"), std::string::npos)
      << metrics_.Render();
}

TEST_P(BatchedAuditWriterTest, MoreEventsThanOneBatchAreWrittenInSeveralTransactions) {
  BatchedAuditWriter writer(*store_, nullptr, Options{.capacity = 100, .max_batch = 2});
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(writer.Record(Event(i)));
  ASSERT_TRUE(writer.Flush());
  EXPECT_EQ(Stored().size(), 5u);
  EXPECT_EQ(writer.queued(), 0u);
}

TEST_P(BatchedAuditWriterTest, BackgroundThreadWritesWithinTheFlushInterval) {
  BatchedAuditWriter writer(*store_, nullptr, Options{.flush_interval = milliseconds(20)});
  writer.Start();
  EXPECT_TRUE(writer.Record(Event(1)));
  EXPECT_TRUE(WaitForStored(1));
}

TEST_P(BatchedAuditWriterTest, AFullBatchWakesTheThreadBeforeTheInterval) {
  BatchedAuditWriter writer(*store_, nullptr,
                            Options{.capacity = 100, .max_batch = 4, .flush_interval = hours(1)});
  writer.Start();
  for (int i = 1; i <= 4; ++i) EXPECT_TRUE(writer.Record(Event(i)));
  EXPECT_TRUE(WaitForStored(4));
}

TEST_P(BatchedAuditWriterTest, StopWritesWhatIsQueuedAndRefusesLaterEvents) {
  BatchedAuditWriter writer(*store_, &metrics_, Options{.flush_interval = hours(1)});
  writer.Start();
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(writer.Record(Event(i)));
  writer.Stop();
  EXPECT_EQ(Stored().size(), 5u);
  EXPECT_FALSE(writer.Record(Event(6)));
  EXPECT_EQ(writer.dropped(), 1u);
  EXPECT_NE(metrics_.Render().find("idm_audit_events_dropped_total{reason=\"stopped\"} 1"),
            std::string::npos)
      << metrics_.Render();
  writer.Stop();  // idempotent
  EXPECT_EQ(Stored().size(), 5u);
}

TEST_P(BatchedAuditWriterTest, FullQueueDropsTheEventAndCountsIt) {
  BatchedAuditWriter writer(*store_, &metrics_, Options{.capacity = 2, .flush_interval = hours(1)});
  EXPECT_TRUE(writer.Record(Event(1)));
  EXPECT_TRUE(writer.Record(Event(2)));
  EXPECT_FALSE(writer.Record(Event(3)));
  EXPECT_EQ(writer.dropped(), 1u);
  EXPECT_NE(metrics_.Render().find("idm_audit_events_dropped_total{reason=\"queue_full\"} 1"),
            std::string::npos)
      << metrics_.Render();
  writer.Stop();
  std::vector<core::AuditEvent> stored = Stored();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(core::Json::parse(stored[1].details)["n"], 2);
}

// A realm deleted while its events wait: the store refuses them (foreign key), and they must not
// hold back the events queued behind them.
TEST_P(BatchedAuditWriterTest, EventTheStoreRefusesIsDroppedAloneAndCounted) {
  BatchedAuditWriter writer(*store_, &metrics_, Options{.flush_interval = hours(1)});
  core::AuditEvent orphan = Event(2);
  orphan.realm_id = core::NewUuid(random_);
  EXPECT_TRUE(writer.Record(Event(1)));
  EXPECT_TRUE(writer.Record(orphan));
  EXPECT_TRUE(writer.Record(Event(3)));
  EXPECT_TRUE(writer.Flush());
  EXPECT_EQ(writer.queued(), 0u);
  std::vector<core::AuditEvent> stored = Stored();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(core::Json::parse(stored[0].details)["n"], 1);
  EXPECT_EQ(core::Json::parse(stored[1].details)["n"], 3);
  EXPECT_EQ(writer.dropped(), 1u);
  EXPECT_NE(metrics_.Render().find("idm_audit_events_dropped_total{reason=\"write_failed\"} 1"),
            std::string::npos)
      << metrics_.Render();
}

INSTANTIATE_TEST_SUITE_P(Backends, BatchedAuditWriterTest,
                         ::testing::ValuesIn(idm::testing::AllBackends()),
                         idm::testing::BackendTestName);

}  // namespace
}  // namespace idm::realm
