// The PostgreSQL driver against a real server: parameters, result types, error mapping, the pool
// and prepared statements. Runs when IDM_TEST_PG_URL names a database where it may create tables
// (tests/scripts/pg.sh start DIR prints one); skipped otherwise.
#include "idm/store/sql/postgres_driver.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "idm/store/sql/drivers.h"

#include "tests/support/scratch_database.h"

namespace idm::store::sql {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

std::string RandomSuffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd() % 1000);
}

int64_t IntAt(const Rows& rows, size_t r, size_t c) { return std::get<int64_t>(rows.rows[r][c]); }
const std::string& TextAt(const Rows& rows, size_t r, size_t c) {
  return std::get<std::string>(rows.rows[r][c]);
}

class PostgresDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (idm::testing::PostgresAdminUrl().empty()) {
      GTEST_SKIP() << "IDM_TEST_PG_URL is not set; run `tests/scripts/pg.sh start DIR` and export "
                      "the URL it prints to run the PostgreSQL driver tests";
    }
    driver_ = Open(2, 2000);
    ASSERT_TRUE(driver_);
    t_ = "pgdrv_" + RandomSuffix();
    Must("CREATE TABLE " + t_ + "_parent (id BIGINT PRIMARY KEY)");
    Must("CREATE TABLE " + t_ + " (id BIGINT PRIMARY KEY, name TEXT UNIQUE, note TEXT, " +
         "parent BIGINT REFERENCES " + t_ + "_parent(id))");
  }
  void TearDown() override {
    if (driver_ && !t_.empty()) Must("DROP TABLE IF EXISTS " + t_ + ", " + t_ + "_parent");
  }

  std::unique_ptr<Driver> Open(int pool_size, int timeout_ms) {
    OpenOptions options;
    options.pool_size = pool_size;
    options.acquire_timeout_ms = timeout_ms;
    auto d = OpenPostgresDriver(idm::testing::PostgresAdminUrl(), options);
    EXPECT_TRUE(d.ok()) << d.error().message;
    return d.ok() ? std::move(*d) : nullptr;
  }
  void Must(const std::string& sql) {
    auto lease = driver_->Acquire(true);
    ASSERT_TRUE(lease.ok()) << lease.error().message;
    auto r = (*lease)->ExecScript(sql);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  PostgresDriver& pg() { return static_cast<PostgresDriver&>(*driver_); }

  std::unique_ptr<Driver> driver_;
  std::string t_;
};

TEST_F(PostgresDriverTest, BindsTextIntegerAndNullParametersAndReadsThemBack) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::vector<Value> row = {int64_t{7}, std::string("O'Brien \"日本\" $1"), nullptr};
  auto n = (*c)->Exec("INSERT INTO " + t_ + " (id, name, note) VALUES ($1, $2, $3)", row);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 1);
  std::vector<Value> key = {int64_t{7}};
  auto rows = (*c)->Query("SELECT id, name, note FROM " + t_ + " WHERE id = $1", key);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"id", "name", "note"}));
  EXPECT_EQ(IntAt(*rows, 0, 0), 7);
  EXPECT_EQ(TextAt(*rows, 0, 1), "O'Brien \"日本\" $1");
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(rows->rows[0][2]));
  std::vector<Value> null_key = {nullptr};
  auto none = (*c)->Query("SELECT id FROM " + t_ + " WHERE note = $1", null_key);
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());  // NULL = NULL is not true
}

TEST_F(PostgresDriverTest, RoundTripsInt64ExtremesAndReadsOtherIntegersAndBooleansAsInt64) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  const int64_t values[] = {std::numeric_limits<int64_t>::min(), -1, 0,
                            std::numeric_limits<int64_t>::max()};
  for (int64_t v : values) {
    std::vector<Value> p = {v, std::to_string(v)};
    ASSERT_TRUE((*c)->Exec("INSERT INTO " + t_ + " (id, name) VALUES ($1, $2)", p).ok()) << v;
  }
  auto rows = (*c)->Query(
      "SELECT id, name, COUNT(*) OVER (), 2, id >= 0, NULL = 1 FROM " + t_ + " ORDER BY id", {});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(IntAt(*rows, i, 0), values[i]);
    EXPECT_EQ(TextAt(*rows, i, 1), std::to_string(values[i]));              // TEXT stays text
    EXPECT_EQ(IntAt(*rows, i, 2), 4);                                       // int8 aggregate
    EXPECT_EQ(IntAt(*rows, i, 3), 2);                                       // int4 literal
    EXPECT_EQ(IntAt(*rows, i, 4), values[i] >= 0 ? 1 : 0);                  // boolean as 0/1
    EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(rows->rows[i][5]));  // NULL boolean
  }
}

TEST_F(PostgresDriverTest, UniqueViolationIsConflictNamingTheConstraintNotTheValue) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::vector<Value> a = {int64_t{1}, std::string("value-that-must-stay-private")};
  std::vector<Value> b = {int64_t{2}, std::string("value-that-must-stay-private")};
  std::string insert = "INSERT INTO " + t_ + " (id, name) VALUES ($1, $2)";
  ASSERT_TRUE((*c)->Exec(insert, a).ok());
  auto dup = (*c)->Exec(insert, b);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_NE(dup.error().message.find("23505"), std::string::npos) << dup.error().message;
  EXPECT_NE(dup.error().message.find(t_ + "_name_key"), std::string::npos) << dup.error().message;
  EXPECT_EQ(dup.error().message.find("must-stay-private"), std::string::npos)
      << dup.error().message;
  EXPECT_TRUE((*c)->healthy());
}

TEST_F(PostgresDriverTest, ForeignKeyViolationIsConflict) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::vector<Value> p = {int64_t{1}, int64_t{404}};
  auto r = (*c)->Exec("INSERT INTO " + t_ + " (id, parent) VALUES ($1, $2)", p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("23503"), std::string::npos) << r.error().message;
}

TEST_F(PostgresDriverTest, BadSqlIsInvalidAndLeavesTheConnectionUsable) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  auto bad = (*c)->Query("SELEC id FROM " + t_, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
  EXPECT_NE(bad.error().message.find("42601"), std::string::npos) << bad.error().message;
  auto missing = (*c)->Query("SELECT nosuchcolumn FROM " + t_, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE((*c)->healthy());
  EXPECT_TRUE((*c)->Query("SELECT 1", {}).ok());
}

TEST_F(PostgresDriverTest, BadValueIsInvalidWithoutQuotingTheValue) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::vector<Value> p = {std::string("not-a-number-private")};
  auto r = (*c)->Exec("INSERT INTO " + t_ + " (id) VALUES ($1)", p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_NE(r.error().message.find("22P02"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("number-private"), std::string::npos) << r.error().message;
}

TEST_F(PostgresDriverTest, WriteInReadOnlyTransactionIsUnavailable) {
  auto c = driver_->Acquire(false);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(driver_->BeginSql(false), "BEGIN READ ONLY");
  EXPECT_EQ(driver_->BeginSql(true), "BEGIN");
  ASSERT_TRUE((*c)->ExecScript(driver_->BeginSql(false)).ok());
  std::vector<Value> p = {int64_t{1}};
  auto r = (*c)->Exec("INSERT INTO " + t_ + " (id) VALUES ($1)", p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("25006"), std::string::npos) << r.error().message;
  EXPECT_TRUE((*c)->healthy());
}

TEST_F(PostgresDriverTest, LeaseReturnedInsideATransactionIsRolledBackAndReused) {
  driver_ = Open(1, 2000);
  int64_t pid = 0;
  {
    auto c = driver_->Acquire(true);
    ASSERT_TRUE(c.ok());
    auto rows = (*c)->Query("SELECT pg_backend_pid()", {});
    ASSERT_TRUE(rows.ok());
    pid = IntAt(*rows, 0, 0);
    ASSERT_TRUE((*c)->ExecScript("BEGIN").ok());
    std::vector<Value> p = {int64_t{1}};
    ASSERT_TRUE((*c)->Exec("INSERT INTO " + t_ + " (id) VALUES ($1)", p).ok());
  }  // released without COMMIT
  EXPECT_EQ(pg().idle_connections(), 1);
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  auto rows = (*c)->Query("SELECT COUNT(*), pg_backend_pid() FROM " + t_, {});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(IntAt(*rows, 0, 1), pid) << "the same session, so it would see its own insert";
  EXPECT_EQ(IntAt(*rows, 0, 0), 0);
}

TEST_F(PostgresDriverTest, TransactionStatementsWorkThroughExecAndCommitOrRollBack) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::string insert = "INSERT INTO " + t_ + " (id) VALUES ($1)";
  std::vector<Value> one = {int64_t{1}}, two = {int64_t{2}};
  ASSERT_TRUE((*c)->Exec(driver_->BeginSql(true), {}).ok());
  ASSERT_TRUE((*c)->Exec(insert, one).ok());
  ASSERT_TRUE((*c)->Exec("COMMIT", {}).ok());
  ASSERT_TRUE((*c)->Exec(driver_->BeginSql(true), {}).ok());
  ASSERT_TRUE((*c)->Exec(insert, two).ok());
  ASSERT_TRUE((*c)->Exec("ROLLBACK", {}).ok());
  auto rows = (*c)->Query("SELECT id FROM " + t_, {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(IntAt(*rows, 0, 0), 1);
}

TEST_F(PostgresDriverTest, FailedWriteInsideATransactionIsUndoneAloneAndTheTransactionGoesOn) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::string insert = "INSERT INTO " + t_ + " (id, name) VALUES ($1, $2)";
  std::vector<Value> first = {int64_t{1}, std::string("a")};
  std::vector<Value> clash = {int64_t{2}, std::string("a")};
  std::vector<Value> second = {int64_t{3}, std::string("b")};
  ASSERT_TRUE((*c)->Exec(driver_->BeginSql(true), {}).ok());
  ASSERT_TRUE((*c)->Exec(insert, first).ok());
  auto dup = (*c)->Exec(insert, clash);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto after = (*c)->Exec(insert, second);
  ASSERT_TRUE(after.ok()) << after.error().message;
  auto commit = (*c)->Exec("COMMIT", {});
  ASSERT_TRUE(commit.ok()) << commit.error().message;
  auto rows = (*c)->Query("SELECT id FROM " + t_ + " ORDER BY id", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(IntAt(*rows, 0, 0), 1);
  EXPECT_EQ(IntAt(*rows, 1, 0), 3);
}

TEST_F(PostgresDriverTest, CommitOfATransactionAbortedByAFailedReadIsRefused) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::vector<Value> one = {int64_t{1}};
  ASSERT_TRUE((*c)->Exec(driver_->BeginSql(true), {}).ok());
  ASSERT_TRUE((*c)->Exec("INSERT INTO " + t_ + " (id) VALUES ($1)", one).ok());
  ASSERT_FALSE((*c)->Query("SELECT nosuchcolumn FROM " + t_, {}).ok());
  auto commit = (*c)->Exec("COMMIT", {});
  ASSERT_FALSE(commit.ok()) << "PostgreSQL rolled the transaction back; COMMIT must not say ok";
  EXPECT_EQ(commit.error().code, ErrorCode::kInvalid);
  auto rows = (*c)->Query("SELECT COUNT(*) FROM " + t_, {});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(IntAt(*rows, 0, 0), 0);
}

TEST_F(PostgresDriverTest, ExecReturnsTheNumberOfRowsChanged) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  for (int64_t id = 1; id <= 3; ++id) {
    std::vector<Value> p = {id};
    ASSERT_TRUE((*c)->Exec("INSERT INTO " + t_ + " (id) VALUES ($1)", p).ok());
  }
  std::vector<Value> note = {std::string("x")};
  EXPECT_EQ((*c)->Exec("UPDATE " + t_ + " SET note = $1", note).value_or(-1), 3);
  std::vector<Value> none = {int64_t{99}};
  EXPECT_EQ((*c)->Exec("DELETE FROM " + t_ + " WHERE id = $1", none).value_or(-1), 0);
  EXPECT_EQ((*c)->Exec("SELECT 1", {}).value_or(-1), 1);
}

TEST_F(PostgresDriverTest, ExecScriptRunsSeveralStatementsAndReportsTheFailingOne) {
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  auto ok = (*c)->ExecScript("INSERT INTO " + t_ + " (id) VALUES (1);\nINSERT INTO " + t_ +
                             " (id) VALUES (2);\n-- a comment\n");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  auto rows = (*c)->Query("SELECT COUNT(*) FROM " + t_, {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(IntAt(*rows, 0, 0), 2);
  auto bad = (*c)->ExecScript("INSERT INTO " + t_ + " (id) VALUES (3); INSERT INTO " + t_ +
                              " (id) VALUES (1);");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kConflict);
  rows = (*c)->Query("SELECT COUNT(*) FROM " + t_, {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(IntAt(*rows, 0, 0), 2) << "a failed script runs as one implicit transaction";
}

TEST_F(PostgresDriverTest, PreparesEachStatementOncePerConnection) {
  driver_ = Open(1, 2000);
  auto c = driver_->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::string sql = "SELECT name FROM " + t_ + " WHERE id = $1";
  for (int64_t id = 1; id <= 3; ++id) {
    std::vector<Value> p = {id};
    ASSERT_TRUE((*c)->Query(sql, p).ok());
  }
  std::vector<Value> text = {sql};
  std::string count = "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = $1";
  auto rows = (*c)->Query(count, text);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(IntAt(*rows, 0, 0), 1);
  auto all = (*c)->Query("SELECT COUNT(*) FROM pg_prepared_statements", {});
  ASSERT_TRUE(all.ok());
  int64_t before = IntAt(*all, 0, 0);
  for (int64_t id = 4; id <= 6; ++id) {
    std::vector<Value> p = {id};
    ASSERT_TRUE((*c)->Query(sql, p).ok());
  }
  all = (*c)->Query("SELECT COUNT(*) FROM pg_prepared_statements", {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(IntAt(*all, 0, 0), before) << "reusing a statement prepares nothing new";
}

TEST_F(PostgresDriverTest, SerializationFailureIsConflict) {
  auto a = driver_->Acquire(true);
  auto b = driver_->Acquire(true);
  ASSERT_TRUE(a.ok() && b.ok());
  std::string begin = "BEGIN ISOLATION LEVEL SERIALIZABLE";
  std::string read = "SELECT COUNT(*) FROM " + t_;
  std::string write = "INSERT INTO " + t_ + " (id) VALUES ($1)";
  ASSERT_TRUE((*a)->ExecScript(begin).ok() && (*b)->ExecScript(begin).ok());
  ASSERT_TRUE((*a)->Query(read, {}).ok() && (*b)->Query(read, {}).ok());
  std::vector<Value> one = {int64_t{1}}, two = {int64_t{2}};
  ASSERT_TRUE((*a)->Exec(write, one).ok());
  ASSERT_TRUE((*b)->Exec(write, two).ok());
  ASSERT_TRUE((*a)->ExecScript("COMMIT").ok());
  auto commit = (*b)->ExecScript("COMMIT");  // write skew: b read what a changed
  ASSERT_FALSE(commit.ok());
  EXPECT_EQ(commit.error().code, ErrorCode::kConflict);
  EXPECT_NE(commit.error().message.find("40001"), std::string::npos) << commit.error().message;
}

TEST_F(PostgresDriverTest, DeadlockIsConflictForOneSideAndTheOtherCommits) {
  Must("INSERT INTO " + t_ + " (id) VALUES (1), (2)");
  auto a = driver_->Acquire(true);
  auto b = driver_->Acquire(true);
  ASSERT_TRUE(a.ok() && b.ok());
  std::string touch = "UPDATE " + t_ + " SET note = 'x' WHERE id = $1";
  std::vector<Value> one = {int64_t{1}}, two = {int64_t{2}};
  ASSERT_TRUE((*a)->Exec("BEGIN", {}).ok() && (*b)->Exec("BEGIN", {}).ok());
  ASSERT_TRUE((*a)->Exec(touch, one).ok());
  ASSERT_TRUE((*b)->Exec(touch, two).ok());
  // Each side ends its transaction when it is the victim, which lets the other go on.
  Result<int64_t> a_second = 0;
  std::thread waiter([&] {
    a_second = (*a)->Exec(touch, two);  // blocks on b's row lock
    if (!a_second.ok()) (void)(*a)->Exec("ROLLBACK", {});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Result<int64_t> b_second = (*b)->Exec(touch, one);  // closes the cycle
  if (!b_second.ok()) (void)(*b)->Exec("ROLLBACK", {});
  waiter.join();
  ASSERT_NE(a_second.ok(), b_second.ok()) << "exactly one side is chosen as the victim";
  const Error& victim = a_second.ok() ? b_second.error() : a_second.error();
  EXPECT_EQ(victim.code, ErrorCode::kConflict) << victim.message;
  EXPECT_NE(victim.message.find("40P01"), std::string::npos) << victim.message;
  Lease& winner = a_second.ok() ? *a : *b;
  EXPECT_TRUE(winner->Exec("COMMIT", {}).ok());
}

}  // namespace
}  // namespace idm::store::sql
