// Contract: AuditRepo (store.h) and the hash chain (audit_hash.h), on every backend.
#include <thread>

#include "idm/store/audit_hash.h"
#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

class AuditRepoTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!HasFatalFailure()) realm_ = MakeRealm("acme");
  }
  core::AuditEvent Event(const std::string& realm_id, const std::string& type) {
    core::AuditEvent e;
    e.id = NewId();
    e.realm_id = realm_id;
    e.time = 1700000000123;
    e.type = type;
    e.actor = "user:1";
    e.resource_type = "user";
    e.resource_id = "u1";
    e.details = R"({"k":"v"})";
    e.client_ip = "192.0.2.1";
    e.request_id = "req-1";
    return e;
  }
  std::vector<core::AuditEvent> All(const std::string& realm_id) {
    auto events = Read()->audit().List(realm_id, 0, 10000);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<core::AuditEvent>{};
  }
  core::Realm realm_;
};
IDM_STORE_SUITE(AuditRepoTest);

TEST_P(AuditRepoTest, AppendAssignsConsecutiveSeqAndLinksHashes) {
  auto tx = Write();
  std::vector<core::AuditEvent> appended;
  for (const char* type : {"UserCreated", "RoleGranted", "UserDeleted"}) {
    auto e = tx->audit().Append(Event(realm_.id, type));
    ASSERT_STORE_OK(e);
    appended.push_back(*e);
  }
  ASSERT_STORE_OK(tx->Commit());
  EXPECT_EQ(appended[0].seq, 1);
  EXPECT_EQ(appended[1].seq, 2);
  EXPECT_EQ(appended[2].seq, 3);
  EXPECT_EQ(appended[0].prev_hash, kGenesisHash);
  EXPECT_EQ(appended[1].prev_hash, appended[0].hash);
  EXPECT_EQ(appended[2].prev_hash, appended[1].hash);
  EXPECT_EQ(appended[0].hash, AuditEventHash(kGenesisHash, appended[0]));
  EXPECT_EQ(appended[0].hash.size(), 64u);

  std::vector<core::AuditEvent> stored = All(realm_.id);
  ASSERT_EQ(stored.size(), 3u);
  for (size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].seq, appended[i].seq);
    EXPECT_EQ(stored[i].id, appended[i].id);
    EXPECT_EQ(stored[i].type, appended[i].type);
    EXPECT_EQ(stored[i].details, appended[i].details);
    EXPECT_EQ(stored[i].client_ip, appended[i].client_ip);
    EXPECT_EQ(stored[i].request_id, appended[i].request_id);
    EXPECT_EQ(stored[i].hash, appended[i].hash);
  }
  EXPECT_EQ(FirstBrokenAuditLink(stored, kGenesisHash), -1);
}

TEST_P(AuditRepoTest, ChainContinuesAcrossTransactions) {
  for (int i = 0; i < 3; ++i) {
    auto tx = Write();
    ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "E" + std::to_string(i))));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto stored = All(realm_.id);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[2].seq, 3);
  EXPECT_EQ(FirstBrokenAuditLink(stored, kGenesisHash), -1);
}

TEST_P(AuditRepoTest, AppendManyChainsEachRealmInOrderAndContinuesAfterAppend) {
  core::Realm other = MakeRealm("other");
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "Before")));
    ASSERT_STORE_OK(tx->Commit());
  }
  std::vector<core::AuditEvent> batch = {Event(realm_.id, "A1"), Event(other.id, "B1"),
                                         Event(realm_.id, "A2"), Event(other.id, "B2"),
                                         Event(realm_.id, "A3")};
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->audit().AppendMany(batch));
    ASSERT_STORE_OK(tx->Commit());
  }
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "After")));
    ASSERT_STORE_OK(tx->Commit());
  }
  std::vector<core::AuditEvent> mine = All(realm_.id);
  ASSERT_EQ(mine.size(), 5u);
  std::vector<std::string> types;
  for (const core::AuditEvent& e : mine) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"Before", "A1", "A2", "A3", "After"}));
  EXPECT_EQ(mine.back().seq, 5);
  EXPECT_EQ(FirstBrokenAuditLink(mine, kGenesisHash), -1);
  auto head = Read()->audit().Head(realm_.id);
  ASSERT_STORE_OK(head);
  EXPECT_EQ(head->first, 5);
  EXPECT_EQ(head->second, mine.back().hash);

  std::vector<core::AuditEvent> theirs = All(other.id);
  ASSERT_EQ(theirs.size(), 2u);
  EXPECT_EQ(theirs[0].seq, 1);
  EXPECT_EQ(theirs[0].type, "B1");
  EXPECT_EQ(theirs[1].type, "B2");
  EXPECT_EQ(FirstBrokenAuditLink(theirs, kGenesisHash), -1);
  auto other_head = Read()->audit().Head(other.id);
  ASSERT_STORE_OK(other_head);
  EXPECT_EQ(other_head->first, 2);
  EXPECT_EQ(other_head->second, theirs[1].hash);
}

TEST_P(AuditRepoTest, AppendManyWithAnUnknownRealmIsNotFound) {
  auto tx = Write();
  auto st = tx->audit().AppendMany({Event(realm_.id, "Fine"), Event("no-such-realm", "Lost")});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
}

TEST_P(AuditRepoTest, HeadIsGenesisBeforeTheFirstEventThenTheNewestEvent) {
  auto empty = Read()->audit().Head(realm_.id);
  ASSERT_STORE_OK(empty);
  EXPECT_EQ(empty->first, 0);
  EXPECT_EQ(empty->second, kGenesisHash);
  auto tx = Write();
  ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "First")));
  auto second = tx->audit().Append(Event(realm_.id, "Second"));
  ASSERT_STORE_OK(second);
  ASSERT_STORE_OK(tx->Commit());
  auto head = Read()->audit().Head(realm_.id);
  ASSERT_STORE_OK(head);
  EXPECT_EQ(head->first, 2);
  EXPECT_EQ(head->second, second->hash);
}

TEST_P(AuditRepoTest, RolledBackAppendLeavesNoGapInSeqOrChain) {
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "Kept")));
    ASSERT_STORE_OK(tx->Commit());
  }
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "Discarded")));
  }  // rolled back
  {
    auto tx = Write();
    auto e = tx->audit().Append(Event(realm_.id, "Next"));
    ASSERT_STORE_OK(e);
    EXPECT_EQ(e->seq, 2);
    ASSERT_STORE_OK(tx->Commit());
  }
  auto stored = All(realm_.id);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].type, "Next");
  EXPECT_EQ(FirstBrokenAuditLink(stored, kGenesisHash), -1);
}

TEST_P(AuditRepoTest, EachRealmHasItsOwnChain) {
  core::Realm other = MakeRealm("other");
  auto tx = Write();
  ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "A1")));
  auto b1 = tx->audit().Append(Event(other.id, "B1"));
  ASSERT_STORE_OK(b1);
  ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "A2")));
  ASSERT_STORE_OK(tx->Commit());
  EXPECT_EQ(b1->seq, 1);
  EXPECT_EQ(b1->prev_hash, kGenesisHash);
  EXPECT_EQ(All(realm_.id).size(), 2u);
  EXPECT_EQ(All(other.id).size(), 1u);
}

TEST_P(AuditRepoTest, ListReadsAfterSeqUpToLimit) {
  auto tx = Write();
  for (int i = 0; i < 5; ++i) ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "E")));
  ASSERT_STORE_OK(tx->Commit());
  auto page = Read()->audit().List(realm_.id, 2, 2);
  ASSERT_STORE_OK(page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 3);
  EXPECT_EQ((*page)[1].seq, 4);
  auto rest = Read()->audit().List(realm_.id, 4, 100);
  ASSERT_STORE_OK(rest);
  ASSERT_EQ(rest->size(), 1u);
  // A run that starts mid-chain verifies against the previous event's hash.
  EXPECT_EQ(FirstBrokenAuditLink(*page, All(realm_.id)[1].hash), -1);
  EXPECT_STORE_ERROR(Read()->audit().List(realm_.id, 0, 0), ErrorCode::kInvalid);
}

TEST_P(AuditRepoTest, TamperedStoredEventIsDetected) {
  auto tx = Write();
  for (int i = 0; i < 3; ++i) ASSERT_STORE_OK(tx->audit().Append(Event(realm_.id, "E")));
  ASSERT_STORE_OK(tx->Commit());
  auto stored = All(realm_.id);
  stored[1].details = R"({"k":"forged"})";
  EXPECT_EQ(FirstBrokenAuditLink(stored, kGenesisHash), 1);
  stored = All(realm_.id);
  stored.erase(stored.begin() + 1);
  EXPECT_EQ(FirstBrokenAuditLink(stored, kGenesisHash), 1);
}

TEST_P(AuditRepoTest, AppendToUnknownRealmIsNotFoundAndDuplicateIdIsConflict) {
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->audit().Append(Event("no-such-realm", "E")), ErrorCode::kNotFound);
  tx.reset();
  auto tx2 = Write();
  core::AuditEvent e = Event(realm_.id, "E");
  ASSERT_STORE_OK(tx2->audit().Append(e));
  EXPECT_STORE_ERROR(tx2->audit().Append(e), ErrorCode::kConflict);
}

TEST_P(AuditRepoTest, ConcurrentAppendsNeverForkTheChain) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto tx = store_->Begin(TxMode::kReadWrite);
        if (!tx) { ++failures; continue; }
        core::AuditEvent e = Event(realm_.id, "T" + std::to_string(t));
        e.id = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!(*tx)->audit().Append(e) || !(*tx)->Commit()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto stored = All(realm_.id);
  ASSERT_EQ(stored.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(stored[i].seq, static_cast<int64_t>(i + 1));
  EXPECT_EQ(FirstBrokenAuditLink(stored, kGenesisHash), -1);
}

}  // namespace
}  // namespace idm::store::testing
