// SqliteConnection: one sqlite3 handle behind the sql::Connection interface, with a cache of
// prepared statements keyed by SQL text. Parameters $1..$n are bound by name, so the portable
// repository SQL runs unchanged: a statement's cache entry maps each $k to its SQLite index once,
// when the statement is prepared.
//
// Error mapping (extended result codes, see https://www.sqlite.org/rescode.html):
//   SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY / _FOREIGNKEY      -> kConflict
//   SQLITE_BUSY / SQLITE_LOCKED (after the busy timeout), SQLITE_READONLY, SQLITE_CANTOPEN,
//   SQLITE_FULL, SQLITE_IOERR                                  -> kUnavailable
//   SQLITE_CORRUPT / SQLITE_NOTADB                             -> kCorrupt
//   anything else (SQL errors, other constraints)              -> kInvalid
// kUnavailable and kCorrupt also mark the connection unhealthy so the driver replaces it.
//
// Thread-safety: none (except Interrupt()); a connection is used by the one thread holding its
// Lease.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "idm/store/sql/connection.h"

namespace idm::store::sql {

class SqliteConnection final : public Connection {
 public:
  // Opens path with the given sqlite3_open_v2 flags and applies the per-connection pragmas
  // (foreign_keys, busy_timeout, synchronous). kUnavailable / kCorrupt on failure.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, int flags,
                                                        int busy_timeout_ms);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override;
  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override;
  Status ExecScript(std::string_view script) override;
  Dialect dialect() const override { return Dialect::kSqlite; }
  bool healthy() const override { return healthy_; }
  // Makes the statement running on this connection stop with SQLITE_INTERRUPT. The one method
  // another thread may call, while the connection is known to stay open (sqlite3_interrupt).
  void Interrupt() { sqlite3_interrupt(db_); }
  // Frees the connection's page cache (sqlite3_db_release_memory); it refills on demand. Only
  // while no transaction uses the connection.
  void ReleaseMemory() { sqlite3_db_release_memory(db_); }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  // Prepares (or reuses) the statement and binds params; the statement is reset on return.
  Result<sqlite3_stmt*> Prepare(std::string_view sql, std::span<const Value> params);
  Result<Rows> Run(std::string_view sql, std::span<const Value> params, bool collect);
  // Maps the connection's last error to a store::Error; `what` says what was being done.
  Error MakeError(int rc, std::string_view what);

  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> index_of;  // index_of[k - 1]: the bind index of $k, 0 if the SQL has none
  };
  // Lookups by std::string_view without copying the SQL text.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  sqlite3* db_;
  std::unordered_map<std::string, Prepared, TextHash, std::equal_to<>> cache_;
  bool healthy_ = true;
};

// Maps a SQLite (extended) result code to the store's error code (the table above).
ErrorCode SqliteErrorCode(int extended_rc);

}  // namespace idm::store::sql
