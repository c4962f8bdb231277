// The PostgreSQL driver's connection pool against a real server: the bound, the acquire timeout,
// hand-over between threads, and replacing connections the server has closed. Runs when
// IDM_TEST_PG_URL is set; skipped otherwise.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "idm/store/sql/drivers.h"
#include "idm/store/sql/postgres_driver.h"

#include "tests/support/scratch_database.h"

namespace idm::store::sql {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class PostgresPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (idm::testing::PostgresAdminUrl().empty()) {
      GTEST_SKIP() << "IDM_TEST_PG_URL is not set; run `tests/scripts/pg.sh start DIR` and export "
                      "the URL it prints to run the PostgreSQL pool tests";
    }
  }
  static std::unique_ptr<PostgresDriver> Open(int pool_size, int timeout_ms) {
    OpenOptions options;
    options.pool_size = pool_size;
    options.acquire_timeout_ms = timeout_ms;
    auto d = OpenPostgresDriver(idm::testing::PostgresAdminUrl(), options);
    EXPECT_TRUE(d.ok()) << d.error().message;
    if (!d.ok()) return nullptr;
    return std::unique_ptr<PostgresDriver>(static_cast<PostgresDriver*>(d->release()));
  }
  static int64_t BackendPid(Lease& c) {
    auto rows = c->Query("SELECT pg_backend_pid()", {});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? std::get<int64_t>(rows->rows[0][0]) : -1;
  }
  // Terminates a backend from another connection and waits until it is gone.
  static void Terminate(Driver& admin, int64_t pid) {
    auto c = admin.Acquire(true);
    ASSERT_TRUE(c.ok());
    std::vector<Value> p = {pid};
    ASSERT_TRUE((*c)->Query("SELECT pg_terminate_backend(CAST($1 AS INTEGER))", p).ok());
    for (int i = 0; i < 200; ++i) {
      auto rows = (*c)->Query("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1", p);
      ASSERT_TRUE(rows.ok());
      if (std::get<int64_t>(rows->rows[0][0]) == 0) return;
      std::this_thread::sleep_for(milliseconds(10));
    }
    FAIL() << "backend " << pid << " did not exit";
  }
};

TEST_F(PostgresPoolTest, ExhaustedPoolIsUnavailableAfterTheAcquireTimeout) {
  auto driver = Open(2, 300);
  ASSERT_TRUE(driver);
  auto a = driver->Acquire(true);
  auto b = driver->Acquire(false);
  ASSERT_TRUE(a.ok() && b.ok());
  auto start = steady_clock::now();
  auto c = driver->Acquire(true);
  auto waited = steady_clock::now() - start;
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(waited, milliseconds(290));
  EXPECT_LT(waited, milliseconds(3000));
  EXPECT_EQ(driver->open_connections(), 2);
}

TEST_F(PostgresPoolTest, WaitingAcquireGetsAConnectionReleasedMeanwhile) {
  auto driver = Open(1, 5000);
  ASSERT_TRUE(driver);
  auto held = driver->Acquire(true);
  ASSERT_TRUE(held.ok());
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(200));
    *held = Lease();
  });
  auto start = steady_clock::now();
  auto c = driver->Acquire(true);
  auto waited = steady_clock::now() - start;
  releaser.join();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_GE(waited, milliseconds(150));
  EXPECT_LT(waited, milliseconds(4000));
  EXPECT_TRUE((*c)->Query("SELECT 1", {}).ok());
}

TEST_F(PostgresPoolTest, ManyThreadsShareABoundedPool) {
  auto driver = Open(3, 10000);
  ASSERT_TRUE(driver);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto c = driver->Acquire(i % 2 == 0);
        std::vector<Value> p = {int64_t{t * 100 + i}};
        if (!c.ok() || !(*c)->Query("SELECT $1 + 1", p).ok()) ++failures;
        if (driver->open_connections() > 3) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(driver->open_connections(), 3);
  EXPECT_EQ(driver->idle_connections(), driver->open_connections());
}

TEST_F(PostgresPoolTest, TerminatedBackendIsUnavailableThenReplaced) {
  auto driver = Open(2, 2000);
  auto admin = Open(1, 2000);
  ASSERT_TRUE(driver && admin);
  auto c = driver->Acquire(true);
  ASSERT_TRUE(c.ok());
  int64_t pid = BackendPid(*c);
  Terminate(*admin, pid);
  auto r = (*c)->Query("SELECT 1", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().message;
  EXPECT_FALSE((*c)->healthy());
  *c = Lease();  // the broken connection is closed, not pooled
  EXPECT_EQ(driver->open_connections(), 0);
  EXPECT_EQ(driver->idle_connections(), 0);
  auto fresh = driver->Acquire(true);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_NE(BackendPid(*fresh), pid);
}

TEST_F(PostgresPoolTest, ConnectionClosedWhileIdleIsReplacedWithoutAFailedRequest) {
  auto driver = Open(1, 2000);
  auto admin = Open(1, 2000);
  ASSERT_TRUE(driver && admin);
  int64_t pid = 0;
  {
    auto c = driver->Acquire(true);
    ASSERT_TRUE(c.ok());
    pid = BackendPid(*c);
  }
  Terminate(*admin, pid);
  auto c = driver->Acquire(true);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto rows = (*c)->Query("SELECT pg_backend_pid()", {});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_NE(std::get<int64_t>(rows->rows[0][0]), pid);
  EXPECT_EQ(driver->open_connections(), 1);
}

}  // namespace
}  // namespace idm::store::sql
