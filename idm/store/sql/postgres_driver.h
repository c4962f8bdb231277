// PostgresDriver: the PostgreSQL sql::Driver, a bounded pool of libpq connections
// (PgConnection) to one database. Created by OpenPostgresDriver (drivers.h).
//
// Pool rules (docs/design/004-postgresql.md):
//  - at most pool_size connections exist (idle + leased + being opened); Acquire reuses the most
//    recently released idle connection, opens a new one while below the bound, and otherwise waits
//    up to acquire_timeout_ms for a release, then fails with kUnavailable;
//  - an idle connection is checked (without blocking) before it is handed out; one the server has
//    closed is discarded and Acquire moves on, so a restarted server costs no failed request;
//  - a connection that saw a connection-class failure comes back unhealthy and is closed; one
//    returned inside a transaction is rolled back first. Replacements are opened lazily, by the
//    next Acquire, so the store recovers by itself when the server returns;
//  - when the server cannot be reached, Acquire fails at once with kUnavailable (no waiting).
//
// Thread-safety: Acquire may be called from any number of threads. The driver must outlive every
// Lease it handed out.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "idm/store/sql/connection.h"
#include "idm/store/sql/postgres_connection.h"

namespace idm::store::sql {

class PostgresDriver final : public Driver {
 public:
  PostgresDriver(PgConnectParams params, int pool_size, int acquire_timeout_ms, bool read_only);
  ~PostgresDriver() override;

  // Opens the first connection. kUnavailable when the server cannot be reached.
  Status Start();

  // `write` does not matter: every pooled connection can do both. kUnavailable after the acquire
  // timeout when all pool_size connections stay leased, or at once when a new connection is
  // needed and cannot be opened.
  Result<Lease> Acquire(bool write) override;
  // "BEGIN" / "BEGIN READ ONLY"; always the latter for a driver opened read-only, so any write
  // fails with kUnavailable (SQLSTATE 25006).
  std::string_view BeginSql(bool write) const override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  const char* name() const override { return "postgres"; }

  // For tests and metrics: connections that exist (idle, leased or being opened) / idle ones.
  int open_connections() const;
  int idle_connections() const;

 private:
  Lease Wrap(std::unique_ptr<PgConnection> c);
  void Release(Connection* c);
  // Pops idle connections until one is still connected; discards the others. Null if none.
  std::unique_ptr<PgConnection> TakeIdleLocked();

  const PgConnectParams params_;
  const int pool_size_;
  const int acquire_timeout_ms_;
  const bool read_only_;

  mutable std::mutex mu_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_; back = most recent
  int open_ = 0;                                     // guarded by mu_
};

}  // namespace idm::store::sql
