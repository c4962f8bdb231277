// The SQL driver interface under the repositories. The repositories (idm/store/repos/) are written
// once in portable SQL over this interface; a driver (sqlite_driver, postgres_driver) executes it.
// docs/design/002-storage.md says why: one set of queries, two dialects that differ only in
// migrations and a few spelled-out places (Dialect).
//
// Portable SQL rules for repository code:
//  - placeholders are $1, $2, ... (the SQLite driver binds them by name);
//  - column types are TEXT and BIGINT only (booleans are 0/1, times are Unix ms, JSON is TEXT);
//  - ON CONFLICT, RETURNING and LIMIT are fine in both; no RIGHT JOIN, no ILIKE, no ::casts.
//
// Thread-safety: a Connection belongs to one thread at a time (the one holding its Lease).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "idm/store/error.h"

namespace idm::store::sql {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a result cell. NULL, BIGINT or TEXT.
using Value = std::variant<std::nullptr_t, int64_t, std::string>;

// A materialised result set.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  // Cell accessors; a NULL cell reads as 0 / "". They assert the column index and type.
  int64_t Int(size_t row, size_t col) const;
  const std::string& Text(size_t row, size_t col) const;
  bool IsNull(size_t row, size_t col) const;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement with $n parameters and returns its rows (empty for statements without
  // RETURNING). Prepared statements are cached per connection by SQL text.
  // Errors: kConflict for unique/foreign-key violations and serialisation failures, kUnavailable
  // when the connection is lost or the database is read-only, kCorrupt for a damaged database,
  // kInvalid for SQL errors (a bug; logged with the SQL).
  virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params) = 0;
  // Like Query, for statements whose rows are not needed; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view script) = 0;
  virtual Dialect dialect() const = 0;
  // False once the driver has seen the connection fail; the pool then replaces it.
  virtual bool healthy() const = 0;
};

// A connection borrowed from a pool; returned on destruction.
class Lease {
 public:
  Lease() = default;
  Lease(Connection* c, std::function<void(Connection*)> release) : c_(c), release_(std::move(release)) {}
  Lease(Lease&& o) noexcept : c_(o.c_), release_(std::move(o.release_)) { o.c_ = nullptr; }
  Lease& operator=(Lease&& o) noexcept {
    if (this != &o) { Reset(); c_ = o.c_; release_ = std::move(o.release_); o.c_ = nullptr; }
    return *this;
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { Reset(); }
  Connection* operator->() const { return c_; }
  Connection& operator*() const { return *c_; }
  explicit operator bool() const { return c_ != nullptr; }

 private:
  void Reset() { if (c_ && release_) release_(c_); c_ = nullptr; }
  Connection* c_ = nullptr;
  std::function<void(Connection*)> release_;
};

// A driver owns the connections of one database.
class Driver {
 public:
  virtual ~Driver() = default;
  // A connection for a transaction of the given kind. SQLite hands out its single writer connection
  // for kReadWrite and a reader for kReadOnly; PostgreSQL any pooled connection. Waits up to the
  // acquire timeout, then kUnavailable.
  virtual Result<Lease> Acquire(bool write) = 0;
  // The statements that open a transaction of each kind (e.g. "BEGIN IMMEDIATE" in SQLite,
  // "BEGIN READ ONLY" in PostgreSQL).
  virtual std::string_view BeginSql(bool write) const = 0;
  virtual Dialect dialect() const = 0;
  virtual const char* name() const = 0;
  // Starts work Open() deferred (store.h OpenOptions::defer_integrity_check). No-op by default.
  virtual void StartDeferredWork() {}
  // Frees memory the idle connections hold only as cache (store.h Store::ReleaseIdleMemory).
  // No-op by default.
  virtual void ReleaseIdleMemory() {}
};

}  // namespace idm::store::sql
