// Recovery: the PostgreSQL driver against its OWN throwaway cluster (tests/scripts/pg.sh in a
// temporary directory), which the test stops and starts again. While the server is down every
// call fails fast with kUnavailable; once it is back the same driver works again without being
// reopened. Runs when IDM_TEST_PG_URL is set (PostgreSQL tests were asked for); skipped otherwise.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "idm/store/sql/drivers.h"
#include "idm/store/sql/postgres_driver.h"
#include "idm/store/store.h"

namespace idm::store::sql {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

// Runs `pg.sh ARGS` and returns its standard output; fails the test on a non-zero exit.
std::string PgSh(const std::string& args) {
  std::string cmd = std::string(IDM_TESTS_DIR) + "/scripts/pg.sh " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), &pclose);
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << cmd;
    return "";
  }
  std::string out;
  std::array<char, 256> buf;
  while (fgets(buf.data(), buf.size(), pipe.get()) != nullptr) out += buf.data();
  int status = pclose(pipe.release());
  EXPECT_EQ(status, 0) << cmd << "\n" << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class PostgresRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("IDM_TEST_PG_URL") == nullptr) {
      GTEST_SKIP() << "IDM_TEST_PG_URL is not set; the PostgreSQL recovery test (which starts its "
                      "own cluster with tests/scripts/pg.sh) runs with the PostgreSQL tests";
    }
    char dir[] = "/tmp/idm-pg-recovery-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    url_ = PgSh("start " + dir_);
    ASSERT_EQ(url_.rfind("postgresql://", 0), 0u) << url_;
  }
  void TearDown() override {
    if (!dir_.empty()) PgSh("stop " + dir_);
  }

  std::string dir_;
  std::string url_;
};

// A round trip on a fresh lease, as Store::Ping does.
Status Ping(Driver& driver) {
  IDM_ASSIGN_OR_RETURN(Lease c, driver.Acquire(false));
  IDM_TRY(c->Query("SELECT 1", {}));
  return {};
}

TEST_F(PostgresRecoveryTest, FailsFastWhileTheServerIsDownAndRecoversWithoutReopening) {
  OpenOptions options;
  options.pool_size = 2;
  options.acquire_timeout_ms = 2000;
  auto opened = OpenPostgresDriver(url_, options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Driver& driver = **opened;
  {
    auto a = driver.Acquire(true), b = driver.Acquire(true);  // two pooled connections
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_TRUE((*a)->ExecScript("CREATE TABLE survives (id BIGINT PRIMARY KEY)").ok());
  }
  auto held = driver.Acquire(true);  // in use while the server goes away
  ASSERT_TRUE(held.ok());

  PgSh("pause " + dir_);
  auto start = steady_clock::now();
  auto in_use = (*held)->Query("SELECT 1", {});
  ASSERT_FALSE(in_use.ok());
  EXPECT_EQ(in_use.error().code, ErrorCode::kUnavailable) << in_use.error().message;
  EXPECT_FALSE((*held)->healthy());
  *held = Lease();
  auto down = Ping(driver);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable) << down.error().message;
  EXPECT_LT(steady_clock::now() - start, seconds(3)) << "no hang while the server is down";
  EXPECT_FALSE(Ping(driver).ok());

  PgSh("start " + dir_);
  auto up = Ping(driver);
  EXPECT_TRUE(up.ok()) << up.error().message;
  auto c = driver.Acquire(true);
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::vector<Value> id = {int64_t{1}};
  auto inserted = (*c)->Exec("INSERT INTO survives (id) VALUES ($1)", id);
  EXPECT_TRUE(inserted.ok()) << inserted.error().message;
}

TEST_F(PostgresRecoveryTest, IdleConnectionsOfARestartedServerAreReplacedSilently) {
  OpenOptions options;
  options.pool_size = 3;
  options.acquire_timeout_ms = 2000;
  auto opened = OpenPostgresDriver(url_, options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Driver& driver = **opened;
  {
    auto a = driver.Acquire(true), b = driver.Acquire(true), c = driver.Acquire(true);
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  }
  PgSh("restart " + dir_);
  for (int i = 0; i < 5; ++i) {
    auto ping = Ping(driver);
    EXPECT_TRUE(ping.ok()) << "attempt " << i << ": " << ping.error().message;
  }
}

TEST_F(PostgresRecoveryTest, StorePingAndTransactionsRecoverWithoutReopening) {
  OpenOptions options;
  options.pool_size = 2;
  options.acquire_timeout_ms = 2000;
  auto opened = Open(url_, options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  ASSERT_TRUE(store.Migrate().ok());
  ASSERT_TRUE(store.Ping().ok());

  PgSh("pause " + dir_);
  auto start = steady_clock::now();
  auto ping = store.Ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable) << ping.error().message;
  auto tx = store.Begin(TxMode::kReadWrite);
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().code, ErrorCode::kUnavailable) << tx.error().message;
  EXPECT_LT(steady_clock::now() - start, seconds(3)) << "no hang while the server is down";

  PgSh("start " + dir_);
  auto back = store.Ping();
  ASSERT_TRUE(back.ok()) << back.error().message;
  auto write = store.Begin(TxMode::kReadWrite);
  ASSERT_TRUE(write.ok()) << write.error().message;
  core::Realm realm;
  realm.id = "realm-after-restart";
  realm.name = "after-restart";
  realm.created_at = realm.updated_at = 1700000000000;
  auto created = (*write)->realms().Create(realm);
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE((*write)->Commit().ok());
  auto read = store.Begin(TxMode::kReadOnly);
  ASSERT_TRUE(read.ok()) << read.error().message;
  auto found = (*read)->realms().GetByName("after-restart");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->id, "realm-after-restart");
}

}  // namespace
}  // namespace idm::store::sql
