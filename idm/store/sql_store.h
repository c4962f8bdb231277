// SqlStore: the one Store implementation, over any sql::Driver (SQLite or PostgreSQL). A
// transaction holds one leased connection from BEGIN (driver->BeginSql) to COMMIT or ROLLBACK and
// hands out the portable-SQL repositories (idm/store/repos/) bound to that connection.
//
// Migrations (Migrate): a schema_migrations(version, name, applied_at) table records what ran; each
// pending migration runs in its own write transaction together with its schema_migrations row, in
// version order, so a failure leaves the schema at the last good version. A database whose schema
// is newer than the newest migration this binary knows is refused (kInvalid) before anything is
// written. Concurrent Migrate calls from several nodes are safe: each migration re-checks, under
// the writer lock (SQLite) or an exclusive table lock (PostgreSQL), whether it already ran.
//
// Thread-safety: SqlStore is safe to share between threads. A Transaction belongs to the thread
// that began it and must be destroyed before the store.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "idm/core/clock.h"
#include "idm/core/embedded.h"
#include "idm/store/sql/connection.h"
#include "idm/store/store.h"

namespace idm::store {

class SqlStore final : public Store {
 public:
  // migrations: NNNN_name.sql files for the driver's dialect (normally EmbeddedMigrations()).
  // clock stamps schema_migrations.applied_at and must outlive the store.
  SqlStore(std::unique_ptr<sql::Driver> driver, std::vector<core::EmbeddedFile> migrations,
           const core::Clock& clock, bool read_only);

  // kUnavailable for kReadWrite on a store opened read-only, or when no connection can be had.
  Result<std::unique_ptr<Transaction>> Begin(TxMode mode) override;
  Status Ping() override;
  // kUnavailable on a read-only store; kInvalid if the database is newer than this binary or a
  // migration script fails (its transaction is rolled back; earlier ones stay applied).
  Result<int> Migrate() override;
  Result<int> SchemaVersion() override;
  const char* backend() const override { return driver_->name(); }
  uint64_t DirectoryGeneration() const override {
    return directory_generation_.load(std::memory_order_acquire);
  }
  void StartDeferredWork() override { driver_->StartDeferredWork(); }
  void ReleaseIdleMemory() override { driver_->ReleaseIdleMemory(); }

 private:
  // Runs one migration in its own transaction. Returns false if another node applied it first.
  Result<bool> Apply(int version, const std::string& name, std::string_view script);

  std::unique_ptr<sql::Driver> driver_;
  std::vector<core::EmbeddedFile> migrations_;
  const core::Clock& clock_;
  bool read_only_;
  std::atomic<uint64_t> directory_generation_{0};
};

}  // namespace idm::store
