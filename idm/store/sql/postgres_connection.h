// PgConnection: one libpq connection to a PostgreSQL server, as a sql::Connection. The PostgreSQL
// driver (postgres_driver.h) pools them; nothing else creates them.
//
// Statements are prepared once per connection per SQL text (PQprepare, names idm_1, idm_2, ...) and
// executed with PQexecPrepared; parameters travel as text, BIGINT parameters declared int8 and the
// others left for the server to infer. Results are materialised: int2/int4/int8 columns as int64,
// booleans as int64 0/1 (the portable form), everything else as text, NULL as nullptr.
//
// Inside a transaction a failed INSERT/UPDATE/DELETE is undone alone (a savepoint around each
// write), so the transaction goes on as it does in SQLite; a COMMIT that PostgreSQL turned into a
// ROLLBACK (an earlier statement failed) is reported as kInvalid.
//
// Failures map per postgres_errors.h; one that shows the connection is gone (class 08,
// 57P01-57P03, 53300, CONNECTION_BAD) makes healthy() false for good, and the pool then closes
// the connection instead of reusing it.
//
// Thread-safety: none; a connection belongs to the thread holding its Lease (connection.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "idm/store/sql/connection.h"
#include "idm/store/sql/libpq.h"

namespace idm::store::sql {

// How to reach the server: the caller's URL plus the settings the driver adds under it.
struct PgConnectParams {
  std::string url;                   // libpq URI or keyword/value string; its own settings win
  int connect_timeout_s = 5;         // libpq connect_timeout (libpq treats values below 2 as 2)
  std::vector<std::string> secrets;  // password forms to scrub from messages (UrlSecrets)
};

class PgConnection final : public Connection {
 public:
  // Opens a connection with TCP keepalives and a connect timeout. kUnavailable if the server
  // cannot be reached or refuses (the message names host, port and database, never the password).
  static Result<std::unique_ptr<PgConnection>> Connect(const PgConnectParams& params);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override;

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override;
  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override;
  // PQexec: the statements run in one implicit transaction unless the script has its own.
  Status ExecScript(std::string_view script) override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const override { return healthy_; }

  // For a connection that sat idle in the pool: reads, without blocking, whatever the server sent
  // meanwhile. False when the server has closed the connection or announced that it will (a FATAL
  // message: shutdown, restart, pg_terminate_backend); the connection is then unhealthy and must
  // be discarded. A close still in flight is not seen; the next statement then fails instead.
  bool StillConnected();
  // For a connection coming back to the pool: rolls back a transaction its user left open.
  // False when that is impossible (the connection must then be discarded).
  bool ReturnToIdle();

 private:
  struct ResultDeleter {
    void operator()(PGresult* r) const { Pq().PQclear(r); }
  };
  using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  static void OnNotice(void* self, const PGresult* r);
  // Execute, under a savepoint for writes inside a transaction; refuses a COMMIT that the server
  // turned into a ROLLBACK.
  Result<PgResult> Run(std::string_view sql, std::span<const Value> params);
  // Prepares (once) and executes sql; the result is TUPLES_OK or COMMAND_OK.
  Result<PgResult> Execute(std::string_view sql, std::span<const Value> params);
  // Runs a parameterless utility statement with the simple query protocol.
  Status Simple(const char* sql);
  Result<std::string> Prepare(const std::string& key, std::string_view sql,
                              std::span<const Value> params);
  // The store::Error for a failed result (r may be null); marks the connection unhealthy when
  // the failure shows it is gone.
  Error Fail(const PGresult* r, std::string_view sql);

  PGconn* conn_;
  bool healthy_ = true;
  uint64_t statement_counter_ = 0;
  // (parameter types + SQL text) -> prepared statement name.
  std::unordered_map<std::string, std::string> statements_;
};

}  // namespace idm::store::sql
