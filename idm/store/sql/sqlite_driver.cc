// The SQLite driver (drivers.h): one writer connection behind a mutex and a pool of reader
// connections, all on one file in WAL mode (readers never block the writer and vice versa).
//
// Opening order matters because an existing file must never be written unless it is a healthy
// SQLite database (store.h: "never overwrites or repairs"):
//   1. a non-empty file must start with the 16-byte SQLite header, else kCorrupt;
//   2. unless options.read_only, the file and its folder must be writable (WAL needs the -wal and
//      -shm files beside it), else kUnavailable;
//   3. the writer is opened and, before any pragma that writes, the cheap checks run: the schema
//      must be readable, and the file must hold as many pages as its header says (a truncated
//      copy fails here);
//   4. only then journal_mode=WAL.
// The full check, `PRAGMA quick_check`, reads every page: ~85 ms for an empty database and
// seconds for a large one, which kept a restart from being ready quickly (docs/design/002). It
// runs in Open() only when the previous process left a WAL behind (it did not close cleanly);
// otherwise on its own connection in the background (started at once, or when the server is
// listening: OpenOptions::defer_integrity_check). Until it has passed, write leases wait for
// it; if it fails, every lease is refused with kCorrupt. So nothing is ever written to a file that
// has not passed it.
// Readers are opened on demand, up to options.pool_size: each SQLite connection parses the schema
// and grows its own page cache, so opening the whole pool eagerly cost start-up time and idle
// memory that a quiet server never needed (docs/design/021).
// The busy timeout (how long a statement waits for another process's lock) is the acquire timeout:
// one bound on how long a request may wait for the database.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "idm/store/sql/drivers.h"
#include "idm/store/sql/sqlite_connection.h"

namespace idm::store::sql {

namespace {

constexpr char kSqliteHeader[16] = "SQLite format 3";  // 15 chars + the terminating NUL

// Step 1: the header of an existing non-empty file. Reads only.
Status CheckHeader(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return {};
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Unavailable("cannot read " + path + ": " + ec.message());
  if (size == 0) return {};
  char header[16] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable("cannot read " + path);
  in.read(header, sizeof header);
  if (in.gcount() != sizeof header || std::memcmp(header, kSqliteHeader, sizeof header) != 0) {
    return Corrupt(path + " is not a SQLite database (bad file header); refusing to open it");
  }
  return {};
}

// True if the mode has no write bit at all. Checked besides access(2) because root passes
// access(W_OK) on any file; a file chmod'ed read-only is the operator saying "do not write".
bool NoWriteBits(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return false;
  return (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0;
}

// Step 2.
Status CheckWritable(const std::string& path) {
  std::filesystem::path p(path);
  std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  std::error_code ec;
  if (std::filesystem::exists(p, ec) && (access(path.c_str(), W_OK) != 0 || NoWriteBits(path))) {
    return Unavailable("SQLite database " + path +
                       " is read-only; make it writable or open the store read-only");
  }
  if (access(dir.c_str(), W_OK) != 0 || NoWriteBits(dir)) {
    return Unavailable("the folder " + dir + " of SQLite database " + path +
                       " is read-only; SQLite needs to create its -wal and -shm files there");
  }
  return {};
}

uint32_t BigEndian(const unsigned char* p, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

// Step 3, cheap part: the schema parses, and the file is not shorter than the page count in its
// header (https://www.sqlite.org/fileformat2.html §1.3: page size at offset 16, the in-header
// database size at 28, valid when the change counter at 24 equals the version-valid-for number at
// 92). Skipped when a WAL holds pages the file does not have yet.
Status CheckShape(SqliteConnection& conn, const std::string& path, bool wal_left) {
  if (auto schema = conn.Query("SELECT count(*) FROM sqlite_master", {}); !schema) {
    if (schema.error().code == ErrorCode::kCorrupt || schema.error().code == ErrorCode::kInvalid) {
      return Corrupt(path + " is damaged: " + schema.error().message);
    }
    return schema.error();
  }
  if (wal_left) return {};
  unsigned char h[100] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(h), sizeof h);
  if (in.gcount() != sizeof h) return Corrupt(path + " is shorter than a SQLite header");
  uint64_t page_size = BigEndian(h + 16, 2);
  if (page_size == 1) page_size = 65536;
  const uint64_t pages = BigEndian(h + 28, 4);
  if (pages == 0 || BigEndian(h + 24, 4) != BigEndian(h + 92, 4)) return {};
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Unavailable("cannot read " + path + ": " + ec.message());
  if (size < page_size * pages) {
    return Corrupt(path + " is truncated: its header counts " + std::to_string(pages) +
                   " pages of " + std::to_string(page_size) + " bytes, the file has " +
                   std::to_string(size) + " bytes");
  }
  return {};
}

// The full check (every page).
Status QuickCheck(SqliteConnection& conn, const std::string& path) {
  auto rows = conn.Query("PRAGMA quick_check", {});
  if (!rows) {
    if (rows.error().code == ErrorCode::kCorrupt || rows.error().code == ErrorCode::kInvalid) {
      return Corrupt(path + " is damaged: " + rows.error().message);
    }
    return rows.error();
  }
  if (rows->size() != 1 || rows->Text(0, 0) != "ok") {
    std::string first = rows->empty() ? "no result" : rows->Text(0, 0);
    return Corrupt(path + " failed PRAGMA quick_check: " + first);
  }
  return {};
}

class SqliteDriver final : public Driver {
 public:
  SqliteDriver(std::string path, const OpenOptions& options)
      : path_(std::move(path)), options_(options) {}

  ~SqliteDriver() override {
    {
      std::lock_guard lock(mu_);
      closing_ = true;
      if (checking_ != nullptr) checking_->Interrupt();
    }
    if (checker_.joinable()) checker_.join();
  }

  Status Open() {
    bool existed = false;
    bool wal_left = false;
    {
      std::error_code ec;
      existed = std::filesystem::exists(path_, ec) && std::filesystem::file_size(path_, ec) > 0;
      const std::string wal = path_ + "-wal";
      wal_left = std::filesystem::exists(wal, ec) && std::filesystem::file_size(wal, ec) > 0;
    }
    IDM_TRY(CheckHeader(path_));
    if (!options_.read_only) IDM_TRY(CheckWritable(path_));
    IDM_ASSIGN_OR_RETURN(writer_, OpenConnection(/*write=*/true));
    if (existed) {
      IDM_TRY(CheckShape(*writer_, path_, wal_left));
      if (wal_left) IDM_TRY(QuickCheck(*writer_, path_));
    }
    if (!options_.read_only) {
      auto mode = writer_->Query("PRAGMA journal_mode=WAL", {});
      if (!mode) return mode.error();
      if (mode->empty() || mode->Text(0, 0) != "wal") {
        return Unavailable("cannot switch " + path_ + " to WAL mode");
      }
    }
    max_readers_ = options_.pool_size < 1 ? 1 : static_cast<size_t>(options_.pool_size);
    readers_.reserve(max_readers_);
    if (existed && !wal_left) {
      check_ = CheckState::kRunning;
      if (!options_.defer_integrity_check) {
        checker_ = std::thread([this] { RunBackgroundCheck(); });
      } else {
        check_deferred_ = true;
      }
    }
    return {};
  }

  void StartDeferredWork() override {
    std::lock_guard lock(mu_);
    StartDeferredCheck();
  }

  void ReleaseIdleMemory() override {
    std::lock_guard lock(mu_);  // no connection can be leased meanwhile
    if (!writer_busy_ && writer_ != nullptr) writer_->ReleaseMemory();
    for (Connection* c : free_readers_) static_cast<SqliteConnection*>(c)->ReleaseMemory();
  }

  Result<Lease> Acquire(bool write) override {
    std::unique_lock lock(mu_);
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.acquire_timeout_ms);
    if (check_ == CheckState::kFailed) return check_error_;
    if (write) {
      StartDeferredCheck();  // a write waits for the check, so it must be running
      if (!cv_.wait_until(lock, deadline, [&] {
            return check_ == CheckState::kFailed ||
                   (check_ == CheckState::kPassed && !writer_busy_);
          })) {
        return Unavailable(check_ == CheckState::kRunning
                               ? "the SQLite database is still being checked (PRAGMA quick_check) "
                                 "after start; writes wait for it"
                               : "timed out waiting for the SQLite writer connection");
      }
      if (check_ == CheckState::kFailed) return check_error_;
      writer_busy_ = true;
      return Lease(writer_.get(), [this](Connection* c) { Release(c, true); });
    }
    if (free_readers_.empty() && readers_.size() + opening_ < max_readers_) {
      // Open one more reader outside the lock; the slot is reserved by opening_.
      ++opening_;
      lock.unlock();
      auto fresh = OpenConnection(/*write=*/false);
      lock.lock();
      --opening_;
      if (!fresh) {
        cv_.notify_all();
        return fresh.error();
      }
      Connection* c = fresh->get();
      readers_.push_back(std::move(*fresh));
      return Lease(c, [this](Connection* conn) { Release(conn, false); });
    }
    if (!cv_.wait_until(lock, deadline, [&] {
          return !free_readers_.empty() || readers_.size() + opening_ < max_readers_;
        })) {
      return Unavailable("timed out waiting for a SQLite reader connection");
    }
    if (free_readers_.empty()) {  // a failed opening gave its slot back: try again
      lock.unlock();
      return Acquire(false);
    }
    Connection* c = free_readers_.back();
    free_readers_.pop_back();
    return Lease(c, [this](Connection* conn) { Release(conn, false); });
  }

  std::string_view BeginSql(bool write) const override {
    return write ? "BEGIN IMMEDIATE" : "BEGIN";
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  const char* name() const override { return "sqlite"; }

 private:
  enum class CheckState { kPassed, kRunning, kFailed };

  // mu_ held. Starts the background check if Open() deferred it.
  void StartDeferredCheck() {
    if (!check_deferred_ || closing_) return;
    check_deferred_ = false;
    checker_ = std::thread([this] { RunBackgroundCheck(); });
  }

  // The background PRAGMA quick_check (see the top of this file), on a connection of its own.
  void RunBackgroundCheck() {
    const auto started = std::chrono::steady_clock::now();
    Status outcome = [&]() -> Status {
      IDM_ASSIGN_OR_RETURN(auto conn, OpenConnection(/*write=*/false));
      // quick_check reads each page once, so a page cache buys it nothing: SQLite's default
      // 2 MiB was +2.2 MiB of RSS while a restarted server idled through the 1.7 s check of a
      // 924 MB database, and the check ran no slower with 256 KiB (docs/performance.md,
      // 2026-12-03).
      IDM_TRY(conn->ExecScript("PRAGMA cache_size = -256;"));
      {
        std::lock_guard lock(mu_);
        if (closing_) return Unavailable("closed during the check");
        checking_ = conn.get();
      }
      Status checked = QuickCheck(*conn, path_);
      std::lock_guard lock(mu_);
      checking_ = nullptr;
      return checked;
    }();
    const int64_t elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - started)
                                   .count();
    {
      std::lock_guard lock(mu_);
      if (closing_) return;
      if (outcome) {
        check_ = CheckState::kPassed;
      } else {
        check_ = CheckState::kFailed;
        check_error_ = outcome.error();
        if (check_error_.code != ErrorCode::kCorrupt) {
          // A check that could not run (no connection, I/O error) proves nothing either way.
          check_error_ = Corrupt(path_ + " could not be checked: " + check_error_.message);
        }
      }
    }
    cv_.notify_all();
    if (options_.on_integrity_checked) {
      options_.on_integrity_checked(outcome ? nullptr : &check_error_, elapsed_ms);
    }
  }

  Result<std::unique_ptr<SqliteConnection>> OpenConnection(bool write) {
    int flags = SQLITE_OPEN_READWRITE | (write ? SQLITE_OPEN_CREATE : 0);
    if (options_.read_only) flags = SQLITE_OPEN_READONLY;
    IDM_ASSIGN_OR_RETURN(auto conn,
                         SqliteConnection::Open(path_, flags, options_.acquire_timeout_ms));
    if (!write && !options_.read_only) IDM_TRY(conn->ExecScript("PRAGMA query_only=ON;"));
    return conn;
  }

  // Returns a connection to the pool, replacing it first if the driver saw it fail (rare, so
  // reopening under the lock is acceptable).
  void Release(Connection* c, bool write) {
    std::lock_guard lock(mu_);
    std::unique_ptr<SqliteConnection>* slot = write ? &writer_ : nullptr;
    for (auto& r : readers_) {
      if (!write && r.get() == c) slot = &r;
    }
    if (slot && !c->healthy()) {
      if (auto fresh = OpenConnection(write)) {
        *slot = std::move(*fresh);
        c = slot->get();
      }
    }
    if (write) {
      writer_busy_ = false;
    } else {
      free_readers_.push_back(c);
    }
    cv_.notify_all();
  }

  const std::string path_;
  const OpenOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Set in Open(); afterwards replaced only in Release(), under mu_.
  std::unique_ptr<SqliteConnection> writer_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // opened so far; guarded by mu_
  size_t max_readers_ = 1;                                  // options.pool_size; set in Open()
  size_t opening_ = 0;                      // readers being opened outside the lock; mu_
  bool writer_busy_ = false;                // guarded by mu_
  std::vector<Connection*> free_readers_;   // guarded by mu_
  CheckState check_ = CheckState::kPassed;  // guarded by mu_
  Error check_error_;                       // set once check_ is kFailed; guarded by mu_
  SqliteConnection* checking_ = nullptr;    // the check's connection while it runs; mu_
  bool closing_ = false;                    // the destructor has begun; guarded by mu_
  std::thread checker_;                     // runs RunBackgroundCheck()
  bool check_deferred_ = false;  // Open() left the check for StartDeferredWork() (under mu_)
};

}  // namespace

Result<std::unique_ptr<Driver>> OpenSqliteDriver(const std::string& path,
                                                 const OpenOptions& options) {
  if (path.empty()) return Invalid("empty SQLite database path");
  auto driver = std::make_unique<SqliteDriver>(path, options);
  IDM_TRY(driver->Open());
  return std::unique_ptr<Driver>(std::move(driver));
}

}  // namespace idm::store::sql
