// SQLite-specific behaviour of the driver (idm/store/sql/sqlite_driver.cc) and store::Open:
// damaged and read-only files, WAL, the writer/reader pool, parameter binding, error mapping.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "idm/store/sql/drivers.h"
#include "idm/store/sql/sqlite_connection.h"
#include "idm/store/store.h"

namespace idm::store {
namespace {

namespace fs = std::filesystem;

class SqliteDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() /
           ("idm_sqlite_test_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(dir_);
    path_ = (dir_ / "idm.db").string();
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all);
    std::error_code ec;
    if (fs::exists(path_)) fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write);
    fs::remove_all(dir_, ec);
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static void WriteAll(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  // A real, migrated database with some rows, closed (checkpointed) afterwards.
  void MakeRealDatabase() {
    auto store = Open("sqlite:" + path_, OpenOptions{});
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->Migrate().ok());
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE((*tx)->meta().Put("key" + std::to_string(i), std::string(200, 'x')).ok());
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  Result<std::unique_ptr<sql::Driver>> Driver(OpenOptions o = {}) {
    return sql::OpenSqliteDriver(path_, o);
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(SqliteDriverTest, RandomBytesAreCorruptAndTheFileIsNeverWritten) {
  std::mt19937 gen(42);
  std::string junk(8192, '\0');
  for (char& c : junk) c = static_cast<char>(gen());
  WriteAll(path_, junk);
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("not a SQLite database"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(ReadAll(path_), junk);
  EXPECT_FALSE(fs::exists(path_ + "-wal"));
  EXPECT_FALSE(fs::exists(path_ + "-shm"));
}

TEST_F(SqliteDriverTest, FileShorterThanTheHeaderIsCorrupt) {
  WriteAll(path_, "SQLite for");
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(ReadAll(path_), "SQLite for");
}

TEST_F(SqliteDriverTest, TruncatedDatabaseIsCorruptAndTheFileIsNeverWritten) {
  MakeRealDatabase();
  std::string whole = ReadAll(path_);
  ASSERT_GT(whole.size(), 16384u);
  std::string truncated = whole.substr(0, whole.size() / 2);
  WriteAll(path_, truncated);
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt) << store.error().message;
  EXPECT_EQ(ReadAll(path_), truncated);
}

// Damages the b-tree of the meta table (its root page gets an invalid page type) in a closed
// database without changing its size or its schema pages; returns the damaged bytes.
std::string DamageMetaTable(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT rootpage, (SELECT page_size FROM pragma_page_size()) "
                     "FROM sqlite_master WHERE name = 'meta'",
                     -1, &st, nullptr);
  EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
  const int64_t root = sqlite3_column_int64(st, 0);
  const int64_t page_size = sqlite3_column_int64(st, 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekp((root - 1) * page_size);
  file.put('\x01');  // b-tree page types are 2, 5, 10 and 13
  file.close();
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The outcome of the background check, reported through OpenOptions::on_integrity_checked.
struct CheckReport {
  std::promise<std::optional<Error>> outcome;
  OpenOptions Options() {
    OpenOptions o;
    o.on_integrity_checked = [this](const Error* failure, int64_t) {
      outcome.set_value(failure ? std::optional<Error>(*failure) : std::nullopt);
    };
    return o;
  }
};

TEST_F(SqliteDriverTest, AHealthyDatabasePassesTheBackgroundCheckAndWritesProceed) {
  MakeRealDatabase();
  CheckReport report;
  auto store = Open("sqlite:" + path_, report.Options());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto tx = (*store)->Begin(TxMode::kReadWrite);  // waits for the check when it is still running
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  ASSERT_TRUE((*tx)->meta().Put("after", "check").ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(report.outcome.get_future().get(), std::nullopt);
}

TEST_F(SqliteDriverTest, ADamagedPageOpensButOnceTheCheckFailsEveryOperationIsCorrupt) {
  MakeRealDatabase();
  const std::string damaged = DamageMetaTable(path_);
  CheckReport report;
  auto store = Open("sqlite:" + path_, report.Options());
  ASSERT_TRUE(store.ok()) << "the schema and the size are intact: " << store.error().message;
  std::optional<Error> failure = report.outcome.get_future().get();
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->code, ErrorCode::kCorrupt);
  EXPECT_NE(failure->message.find("quick_check"), std::string::npos) << failure->message;
  auto write = (*store)->Begin(TxMode::kReadWrite);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, ErrorCode::kCorrupt);
  auto read = (*store)->Begin(TxMode::kReadOnly);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kCorrupt);
  auto ping = (*store)->Ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kCorrupt);
  store->reset();
  EXPECT_EQ(ReadAll(path_), damaged) << "a file that failed the check was written";
}

TEST_F(SqliteDriverTest, ADeferredCheckWaitsForStartDeferredWorkThenFindsTheDamage) {
  MakeRealDatabase();
  DamageMetaTable(path_);
  CheckReport report;
  OpenOptions o = report.Options();
  o.defer_integrity_check = true;
  auto store = Open("sqlite:" + path_, o);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto outcome = report.outcome.get_future();
  EXPECT_EQ(outcome.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "the check ran before it was started";
  (*store)->StartDeferredWork();
  (*store)->StartDeferredWork();  // idempotent
  std::optional<Error> failure = outcome.get();
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->code, ErrorCode::kCorrupt);
}

TEST_F(SqliteDriverTest, AWriteStartsADeferredCheckAndWaitsForIt) {
  MakeRealDatabase();
  CheckReport report;
  OpenOptions o = report.Options();
  o.defer_integrity_check = true;
  auto store = Open("sqlite:" + path_, o);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto tx = (*store)->Begin(TxMode::kReadWrite);  // never started by anyone else
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  ASSERT_TRUE((*tx)->meta().Put("after", "check").ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(report.outcome.get_future().get(), std::nullopt);
}

TEST_F(SqliteDriverTest, AWalLeftByACrashMakesOpenRunTheFullCheckFirst) {
  MakeRealDatabase();
  const std::string damaged = DamageMetaTable(path_);
  WriteAll(path_ + "-wal", std::string(4096, '\x07'));  // not a valid WAL: SQLite ignores it
  bool reported = false;
  OpenOptions o;
  o.on_integrity_checked = [&reported](const Error*, int64_t) { reported = true; };
  auto store = Open("sqlite:" + path_, o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt) << store.error().message;
  EXPECT_FALSE(reported) << "the check ran inside Open(), not in the background";
  EXPECT_EQ(ReadAll(path_), damaged);
}

TEST_F(SqliteDriverTest, ReadOnlyFileIsUnavailableWithAClearMessageUnlessOpenedReadOnly) {
  MakeRealDatabase();
  fs::permissions(path_, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  std::string before = ReadAll(path_);
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message.find("read-only"), std::string::npos) << store.error().message;
  EXPECT_EQ(ReadAll(path_), before);
  OpenOptions ro;
  ro.read_only = true;
  auto reader = Open("sqlite:" + path_, ro);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto version = (*reader)->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_GE(*version, 1);
}

TEST_F(SqliteDriverTest, ReadOnlyFolderIsUnavailableWithAClearMessage) {
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message.find("folder"), std::string::npos) << store.error().message;
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(SqliteDriverTest, NewFileIsCreatedInWalModeWithForeignKeysOn) {
  auto driver = Driver();
  ASSERT_TRUE(driver.ok()) << driver.error().message;
  EXPECT_TRUE(fs::exists(path_));
  auto lease = (*driver)->Acquire(false);
  ASSERT_TRUE(lease.ok());
  auto mode = (*lease)->Query("PRAGMA journal_mode", {});
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(mode->Text(0, 0), "wal");
  auto fk = (*lease)->Query("PRAGMA foreign_keys", {});
  ASSERT_TRUE(fk.ok());
  EXPECT_EQ(fk->Int(0, 0), 1);
  EXPECT_EQ((*driver)->BeginSql(true), "BEGIN IMMEDIATE");
  EXPECT_EQ((*driver)->BeginSql(false), "BEGIN");
}

TEST_F(SqliteDriverTest, EmptyExistingFileBecomesANewDatabase) {
  WriteAll(path_, "");
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)->Migrate().ok());
}

TEST_F(SqliteDriverTest, WriterIsExclusiveAndAcquireTimesOut) {
  OpenOptions o;
  o.acquire_timeout_ms = 50;
  o.pool_size = 1;
  auto driver = Driver(o);
  ASSERT_TRUE(driver.ok());
  {
    auto writer = (*driver)->Acquire(true);
    ASSERT_TRUE(writer.ok());
    auto second = (*driver)->Acquire(true);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
    auto reader = (*driver)->Acquire(false);
    ASSERT_TRUE(reader.ok());
    auto second_reader = (*driver)->Acquire(false);
    ASSERT_FALSE(second_reader.ok());
    EXPECT_EQ(second_reader.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_TRUE((*driver)->Acquire(true).ok());
}

TEST_F(SqliteDriverTest, ReadersOpenOnDemandUpToThePoolSizeAndAreReused) {
  OpenOptions o;
  o.acquire_timeout_ms = 50;
  o.pool_size = 3;
  auto driver = Driver(o);
  ASSERT_TRUE(driver.ok()) << driver.error().message;
  std::set<const store::sql::Connection*> seen;
  {
    std::vector<store::sql::Lease> held;
    for (int i = 0; i < 3; ++i) {
      auto r = (*driver)->Acquire(false);
      ASSERT_TRUE(r.ok()) << i << ": " << r.error().message;
      auto ok = (*r)->Query("SELECT 1", {});
      ASSERT_TRUE(ok.ok());
      seen.insert(&**r);
      held.push_back(std::move(*r));
    }
    EXPECT_EQ(seen.size(), 3u);  // three distinct connections
    auto fourth = (*driver)->Acquire(false);
    ASSERT_FALSE(fourth.ok());
    EXPECT_EQ(fourth.error().code, ErrorCode::kUnavailable);
  }
  // Returned readers are reused, not reopened: sequential reads see only those three.
  for (int i = 0; i < 5; ++i) {
    auto r = (*driver)->Acquire(false);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(seen.count(&**r)) << "a fourth connection was opened";
  }
}

TEST_F(SqliteDriverTest, AWaitingReaderGetsTheConnectionAnotherReturns) {
  OpenOptions o;
  o.acquire_timeout_ms = 2000;
  o.pool_size = 1;
  auto driver = Driver(o);
  ASSERT_TRUE(driver.ok());
  auto first = (*driver)->Acquire(false);
  ASSERT_TRUE(first.ok());
  const store::sql::Connection* c = &**first;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    store::sql::Lease done = std::move(*first);
  });
  auto second = (*driver)->Acquire(false);
  t.join();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(&**second, c);
}

TEST_F(SqliteDriverTest, ReleaseIdleMemoryFreesThePageCachesOfConnectionsNotInUse) {
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)->Migrate().ok());
  {  // ~3 MiB of rows: the writer's cache fills (up to SQLite's default 2 MiB)
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 3000; ++i) {
      ASSERT_TRUE((*tx)->meta().Put("key" + std::to_string(i), std::string(1000, 'x')).ok());
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  {  // and so does a reader's
    auto tx = (*store)->Begin(TxMode::kReadOnly);
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 3000; i += 7) {
      ASSERT_TRUE((*tx)->meta().Get("key" + std::to_string(i)).ok());
    }
  }
  const int64_t filled = sqlite3_memory_used();
  (*store)->ReleaseIdleMemory();
  const int64_t released = sqlite3_memory_used();
  EXPECT_LT(released, filled - (1 << 20)) << "filled " << filled << " released " << released;
  auto tx = (*store)->Begin(TxMode::kReadOnly);  // the caches refill on demand
  ASSERT_TRUE(tx.ok());
  auto v = (*tx)->meta().Get("key2999");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, std::string(1000, 'x'));
}

TEST_F(SqliteDriverTest, ReleaseIdleMemoryLeavesAConnectionInUseAlone) {
  MakeRealDatabase();
  auto store = Open("sqlite:" + path_, OpenOptions{});
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto tx = (*store)->Begin(TxMode::kReadWrite);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE((*tx)->meta().Put("during", "release").ok());
  (*store)->ReleaseIdleMemory();  // the writer is leased: its transaction goes on untouched
  auto v = (*tx)->meta().Get("key1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, std::string(200, 'x'));
  ASSERT_TRUE((*tx)->Commit().ok());
  auto read = (*store)->Begin(TxMode::kReadOnly);
  ASSERT_TRUE(read.ok());
  auto during = (*read)->meta().Get("during");
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(*during, "release");
}

TEST_F(SqliteDriverTest, LockHeldByAnotherProcessIsUnavailableAfterTheTimeout) {
  OpenOptions o;
  o.acquire_timeout_ms = 50;
  auto store = Open("sqlite:" + path_, o);
  ASSERT_TRUE(store.ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto tx = (*store)->Begin(TxMode::kReadWrite);
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().code, ErrorCode::kUnavailable);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE((*store)->Begin(TxMode::kReadWrite).ok());
}

TEST_F(SqliteDriverTest, BindsDollarParametersByNumberIncludingRepeats) {
  auto driver = Driver();
  ASSERT_TRUE(driver.ok());
  auto c = (*driver)->Acquire(true);
  ASSERT_TRUE(c.ok());
  std::vector<sql::Value> params = {std::string("a"), int64_t{42}, nullptr};
  auto rows = (*c)->Query("SELECT $1 || $1, $2 + 1, $3, $2", params);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->Text(0, 0), "aa");
  EXPECT_EQ(rows->Int(0, 1), 43);
  EXPECT_TRUE(rows->IsNull(0, 2));
  EXPECT_EQ(rows->Int(0, 2), 0);
  EXPECT_EQ(rows->Text(0, 2), "");
  EXPECT_EQ(rows->Int(0, 3), 42);
  ASSERT_EQ(rows->columns.size(), 4u);
  // The same statement again, from the cache, with other values.
  std::vector<sql::Value> again = {std::string("b"), int64_t{1}, std::string("x")};
  rows = (*c)->Query("SELECT $1 || $1, $2 + 1, $3, $2", again);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Text(0, 0), "bb");
  EXPECT_EQ(rows->Text(0, 2), "x");
}

TEST_F(SqliteDriverTest, BindsParametersThatAppearOutOfOrderOrNotAtAll) {
  auto driver = Driver();
  ASSERT_TRUE(driver.ok());
  auto c = (*driver)->Acquire(true);
  ASSERT_TRUE(c.ok());
  // SQLite numbers named parameters in order of first appearance: $11 is its index 1 here.
  std::vector<sql::Value> params;
  for (int64_t i = 1; i <= 12; ++i) params.emplace_back(i * 10);
  const char* sql = "SELECT $11, $3, $1, $11 + $3";  // $2, $4..$10 and $12 are not used
  for (int run = 0; run < 2; ++run) {  // prepared, then from the cache
    auto rows = (*c)->Query(sql, params);
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    EXPECT_EQ(rows->Int(0, 0), 110) << "run " << run;
    EXPECT_EQ(rows->Int(0, 1), 30) << "run " << run;
    EXPECT_EQ(rows->Int(0, 2), 10) << "run " << run;
    EXPECT_EQ(rows->Int(0, 3), 140) << "run " << run;
  }
  // Fewer values than the SQL names: the rest stay NULL, as sqlite3 leaves unbound parameters.
  std::vector<sql::Value> one = {int64_t{7}};
  auto rows = (*c)->Query("SELECT $1, $2 IS NULL", one);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->Int(0, 0), 7);
  EXPECT_EQ(rows->Int(0, 1), 1);
}

TEST_F(SqliteDriverTest, ConstraintAndSqlErrorsMapToStoreErrors) {
  auto driver = Driver();
  ASSERT_TRUE(driver.ok());
  auto c = (*driver)->Acquire(true);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->ExecScript("CREATE TABLE p (id TEXT PRIMARY KEY, u TEXT UNIQUE NOT NULL);"
                               "CREATE TABLE ch (p TEXT NOT NULL REFERENCES p(id));")
                  .ok());
  std::vector<sql::Value> row = {std::string("1"), std::string("u")};
  ASSERT_TRUE((*c)->Exec("INSERT INTO p VALUES ($1, $2)", row).ok());
  auto dup_pk = (*c)->Exec("INSERT INTO p VALUES ($1, $2)", row);
  EXPECT_EQ(dup_pk.error().code, ErrorCode::kConflict);
  std::vector<sql::Value> row2 = {std::string("2"), std::string("u")};
  EXPECT_EQ((*c)->Exec("INSERT INTO p VALUES ($1, $2)", row2).error().code, ErrorCode::kConflict);
  std::vector<sql::Value> orphan = {std::string("nope")};
  EXPECT_EQ((*c)->Exec("INSERT INTO ch VALUES ($1)", orphan).error().code, ErrorCode::kConflict);
  std::vector<sql::Value> null_u = {std::string("3"), nullptr};
  EXPECT_EQ((*c)->Exec("INSERT INTO p VALUES ($1, $2)", null_u).error().code, ErrorCode::kInvalid);
  EXPECT_EQ((*c)->Query("SELEC nonsense", {}).error().code, ErrorCode::kInvalid);
  EXPECT_TRUE((*c)->healthy());
  auto changed = (*c)->Exec("UPDATE p SET u = 'v' WHERE id = '1'", {});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1);
}

TEST(SqliteErrorCode, MapsResultCodesPerTheDriverContract) {
  struct Case {
    int rc;
    ErrorCode want;
  };
  for (const Case& c : std::vector<Case>{
           {SQLITE_CONSTRAINT_UNIQUE, ErrorCode::kConflict},
           {SQLITE_CONSTRAINT_PRIMARYKEY, ErrorCode::kConflict},
           {SQLITE_CONSTRAINT_FOREIGNKEY, ErrorCode::kConflict},
           {SQLITE_CONSTRAINT_NOTNULL, ErrorCode::kInvalid},
           {SQLITE_BUSY, ErrorCode::kUnavailable},
           {SQLITE_LOCKED, ErrorCode::kUnavailable},
           {SQLITE_READONLY, ErrorCode::kUnavailable},
           {SQLITE_CANTOPEN, ErrorCode::kUnavailable},
           {SQLITE_FULL, ErrorCode::kUnavailable},
           {SQLITE_IOERR_SHORT_READ, ErrorCode::kUnavailable},
           {SQLITE_CORRUPT, ErrorCode::kCorrupt},
           {SQLITE_NOTADB, ErrorCode::kCorrupt},
           {SQLITE_ERROR, ErrorCode::kInvalid},
       }) {
    EXPECT_EQ(sql::SqliteErrorCode(c.rc), c.want) << sqlite3_errstr(c.rc);
  }
}

TEST(StoreOpen, UnknownSchemeIsInvalidAndTheMessageHidesTheRest) {
  auto store = Open("mysql://admin:hunter2@db/idm", OpenOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(store.error().message.find("hunter2"), std::string::npos);
  auto empty = Open("sqlite:", OpenOptions{});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalid);
}

TEST(StoreErrors, EveryCodeHasAStableName) {
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kConflict), "conflict");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kVersionMismatch), "version_mismatch");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kUnavailable), "unavailable");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kCorrupt), "corrupt");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kInvalid), "invalid");
}

}  // namespace
}  // namespace idm::store
