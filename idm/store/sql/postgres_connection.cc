#include "idm/store/sql/postgres_connection.h"

#include <cctype>
#include <charconv>
#include <string>
#include <utility>

#include "idm/core/log.h"
#include "idm/store/sql/postgres_errors.h"

namespace idm::store::sql {
namespace {

// pg_type OIDs (src/include/catalog/pg_type.dat); libpq does not export them.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

// TCP keepalives: a dead peer (power loss, partition) is noticed after about a minute instead
// of the kernel's two hours, so a lease never hangs on a vanished server.
constexpr const char* kKeepalivesIdleS = "30";
constexpr const char* kKeepalivesIntervalS = "10";
constexpr const char* kKeepalivesCount = "3";
constexpr const char* kTcpUserTimeoutMs = "60000";
constexpr size_t kMaxSqlInMessage = 160;

std::string Abbrev(std::string_view sql) {
  std::string s(sql.substr(0, kMaxSqlInMessage));
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (sql.size() > kMaxSqlInMessage) s += "...";
  return s;
}

// One line: runs of whitespace (libpq messages span lines) become one space.
std::string TrimNewlines(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool space = c == '\n' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Whether the server's primary message may be shown. Classes 22 (data exceptions), P0
// (PL/pgSQL RAISE) and XX (internal) can quote values; the others name only SQL objects.
bool PrimaryMessageIsSafe(std::string_view sqlstate) {
  std::string_view cls = sqlstate.substr(0, 2);
  return cls != "22" && cls != "P0" && cls != "XX";
}

const char* CodeLabel(ErrorCode code) {
  switch (code) {
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kCorrupt:
      return "database corrupt";
    default:
      return "statement failed";
  }
}

std::string Field(const PGresult* r, int field) {
  const char* v = r != nullptr ? Pq().PQresultErrorField(r, field) : nullptr;
  return v != nullptr ? v : "";
}

// The first keyword of a statement, upper-cased.
std::string FirstKeyword(std::string_view sql) {
  size_t start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos) return "";
  std::string word;
  for (size_t i = start; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])); ++i) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i]))));
  }
  return word;
}

// Statements that may fail on a constraint and after which the transaction must go on, as it does
// in SQLite: inside a transaction they run under a savepoint (see Run).
bool IsWrite(std::string_view keyword) {
  return keyword == "INSERT" || keyword == "UPDATE" || keyword == "DELETE" || keyword == "WITH" ||
         keyword == "MERGE";
}

enum class CellKind { kText, kInteger, kBoolean };

CellKind KindOf(Oid type) {
  if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) return CellKind::kInteger;
  if (type == kBoolOid) return CellKind::kBoolean;
  return CellKind::kText;
}

Result<Value> Cell(const PGresult* r, int row, int col, CellKind kind) {
  if (Pq().PQgetisnull(r, row, col)) return Value(nullptr);
  const char* text = Pq().PQgetvalue(r, row, col);
  int len = Pq().PQgetlength(r, row, col);
  if (kind == CellKind::kText) return Value(std::string(text, len));
  // Booleans (EXISTS, comparisons) read as 0/1, the portable form (connection.h).
  if (kind == CellKind::kBoolean) return Value(int64_t{text[0] == 't' ? 1 : 0});
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text, text + len, v);
  if (ec != std::errc() || end != text + len) {
    return Corrupt("postgres: integer column " + std::string(Pq().PQfname(r, col)) + " unreadable");
  }
  return Value(v);
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const PgConnectParams& params) {
  std::string timeout = std::to_string(params.connect_timeout_s);
  // Later entries win, and the URL (expanded from dbname) comes last, so its settings override
  // ours.
  const char* keys[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                        "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                        "application_name",    "dbname",           nullptr};
  const char* values[] = {timeout.c_str(),
                          "1",
                          kKeepalivesIdleS,
                          kKeepalivesIntervalS,
                          kKeepalivesCount,
                          kTcpUserTimeoutMs,
                          "idm",
                          params.url.c_str(),
                          nullptr};
  PGconn* conn = Pq().PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Unavailable("postgres: out of memory while connecting");
  if (Pq().PQstatus(conn) != CONNECTION_OK) {
    std::string why = ScrubSecrets(TrimNewlines(Pq().PQerrorMessage(conn)), params.secrets);
    Pq().PQfinish(conn);
    return Unavailable("postgres: cannot connect to " + DescribeUrl(params.url) + ": " + why);
  }
  std::unique_ptr<PgConnection> c(new PgConnection(conn));
  Pq().PQsetNoticeReceiver(conn, &PgConnection::OnNotice, c.get());
  return c;
}

void PgConnection::OnNotice(void* self, const PGresult* r) {
  // Notices may quote values, so none is printed. A FATAL one arriving outside a query is the
  // server saying why it is about to close the connection (shutdown, pg_terminate_backend).
  std::string severity = Field(r, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity == "FATAL" || severity == "PANIC")
    static_cast<PgConnection*>(self)->healthy_ = false;
}

PgConnection::~PgConnection() { Pq().PQfinish(conn_); }

Result<Rows> PgConnection::Query(std::string_view sql, std::span<const Value> params) {
  IDM_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
  Rows rows;
  int ncols = Pq().PQnfields(r.get());
  std::vector<CellKind> kinds(ncols);
  for (int c = 0; c < ncols; ++c) {
    rows.columns.emplace_back(Pq().PQfname(r.get(), c));
    kinds[c] = KindOf(Pq().PQftype(r.get(), c));
  }
  int nrows = Pq().PQntuples(r.get());
  rows.rows.reserve(nrows);
  for (int i = 0; i < nrows; ++i) {
    std::vector<Value>& row = rows.rows.emplace_back();
    row.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      IDM_ASSIGN_OR_RETURN(Value v, Cell(r.get(), i, c, kinds[c]));
      row.push_back(std::move(v));
    }
  }
  return rows;
}

Result<int64_t> PgConnection::Exec(std::string_view sql, std::span<const Value> params) {
  IDM_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
  std::string_view changed = Pq().PQcmdTuples(r.get());  // "" for statements that change no rows
  int64_t n = 0;
  std::from_chars(changed.data(), changed.data() + changed.size(), n);
  return n;
}

Status PgConnection::ExecScript(std::string_view script) {
  PgResult r(Pq().PQexec(conn_, std::string(script).c_str()));
  ExecStatusType st = r ? Pq().PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return {};
  return Fail(r.get(), script);
}

Result<std::string> PgConnection::Prepare(const std::string& key, std::string_view sql,
                                          std::span<const Value> params) {
  std::vector<Oid> types;
  types.reserve(params.size());
  for (const Value& p : params) {
    types.push_back(std::holds_alternative<int64_t>(p) ? kInt8Oid : 0);
  }
  std::string name = "idm_" + std::to_string(++statement_counter_);
  PgResult r(Pq().PQprepare(conn_, name.c_str(), std::string(sql).c_str(),
                       static_cast<int>(params.size()), types.data()));
  if (!r || Pq().PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Fail(r.get(), sql);
  statements_.emplace(key, name);
  return name;
}

Result<PgConnection::PgResult> PgConnection::Run(std::string_view sql,
                                                 std::span<const Value> params) {
  std::string keyword = FirstKeyword(sql);
  // Statement-level atomicity, as in SQLite: a write that fails inside a transaction is undone
  // alone instead of aborting the transaction (PostgreSQL would refuse every later statement
  // with 25P02). Costs two round trips per write inside a transaction.
  bool guarded = IsWrite(keyword) && Pq().PQtransactionStatus(conn_) == PQTRANS_INTRANS;
  if (guarded) IDM_TRY(Simple("SAVEPOINT idm_statement"));
  Result<PgResult> r = Execute(sql, params);
  if (guarded && r.ok()) IDM_TRY(Simple("RELEASE SAVEPOINT idm_statement"));
  if (guarded && !r.ok() && healthy_ && Pq().PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    IDM_TRY(Simple("ROLLBACK TO SAVEPOINT idm_statement; RELEASE SAVEPOINT idm_statement"));
  }
  // COMMIT of a transaction that an earlier failed statement aborted "succeeds" as ROLLBACK.
  if (r.ok() && (keyword == "COMMIT" || keyword == "END") &&
      std::string_view(Pq().PQcmdStatus(r->get())) == "ROLLBACK") {
    return Invalid(
        "postgres: COMMIT of a transaction aborted by an earlier failed statement; "
        "nothing was written");
  }
  return r;
}

Status PgConnection::Simple(const char* sql) {
  PgResult r(Pq().PQexec(conn_, sql));
  if (r && Pq().PQresultStatus(r.get()) == PGRES_COMMAND_OK) return {};
  return Fail(r.get(), sql);
}

Result<PgConnection::PgResult> PgConnection::Execute(std::string_view sql,
                                                     std::span<const Value> params) {
  // The cache key carries the declared parameter types: int8 for BIGINT values, inferred else.
  std::string key;
  key.reserve(params.size() + 1 + sql.size());
  for (const Value& p : params) key.push_back(std::holds_alternative<int64_t>(p) ? 'i' : 'u');
  key.push_back(':');
  key.append(sql);
  auto it = statements_.find(key);
  std::string name;
  if (it != statements_.end()) {
    name = it->second;
  } else {
    IDM_ASSIGN_OR_RETURN(name, Prepare(key, sql, params));
  }
  std::vector<std::string> ints;  // text forms of BIGINT parameters
  ints.reserve(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    if (const auto* n = std::get_if<int64_t>(&params[i])) {
      values[i] = ints.emplace_back(std::to_string(*n)).c_str();
    } else if (const auto* s = std::get_if<std::string>(&params[i])) {
      values[i] = s->c_str();
    }
  }
  PgResult r(Pq().PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                            nullptr, nullptr, /*resultFormat=*/0));
  ExecStatusType st = r ? Pq().PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return r;
  // 0A000 "cached plan must not change result type": the table changed under the statement;
  // forget it so the next call prepares it afresh.
  if (Field(r.get(), PG_DIAG_SQLSTATE) == "0A000") statements_.erase(key);
  return Fail(r.get(), sql);
}

Error PgConnection::Fail(const PGresult* r, std::string_view sql) {
  std::string sqlstate = Field(r, PG_DIAG_SQLSTATE);
  bool gone = Pq().PQstatus(conn_) == CONNECTION_BAD;
  SqlStateClass cls = ClassifySqlState(sqlstate);
  if (sqlstate.empty() && !gone) cls = {ErrorCode::kInvalid, false, false};  // libpq refused it
  if (gone) cls = {ErrorCode::kUnavailable, true, false};
  if (cls.connection_lost) healthy_ = false;

  std::string msg = std::string("postgres: ") + CodeLabel(cls.code);
  if (!sqlstate.empty()) msg += " (SQLSTATE " + sqlstate + ")";
  if (cls.retryable) msg += ", retryable";
  std::string table = Field(r, PG_DIAG_TABLE_NAME);
  std::string constraint = Field(r, PG_DIAG_CONSTRAINT_NAME);
  if (!table.empty()) msg += " table " + table;
  if (!constraint.empty()) msg += " constraint " + constraint;
  if (PrimaryMessageIsSafe(sqlstate)) {
    std::string primary = r != nullptr ? Field(r, PG_DIAG_MESSAGE_PRIMARY) : "";
    if (primary.empty()) {
      primary = TrimNewlines(r != nullptr ? Pq().PQresultErrorMessage(r) : Pq().PQerrorMessage(conn_));
    }
    if (!primary.empty()) msg += ": " + primary;
  }
  msg += " in: " + Abbrev(sql);
  // Logged here because only the driver knows the SQLSTATE; never parameter values.
  if (cls.connection_lost) {
    core::log::Warn("postgres connection lost", {{"sqlstate", sqlstate}});
  } else if (cls.code == ErrorCode::kInvalid || cls.code == ErrorCode::kCorrupt) {
    core::log::Error("postgres statement failed",
                     {{"sqlstate", sqlstate}, {"table", table}, {"sql", Abbrev(sql)}});
  }
  return Error{cls.code, std::move(msg)};
}

bool PgConnection::StillConnected() {
  if (!healthy_ || Pq().PQstatus(conn_) != CONNECTION_OK) return healthy_ = false;
  // Two reads: the first may only fetch a goodbye message, the second then sees end-of-file.
  for (int i = 0; i < 2; ++i) {
    if (Pq().PQconsumeInput(conn_) == 0) return healthy_ = false;
  }
  Pq().PQisBusy(conn_);  // parses what arrived; an idle-time error goes to OnNotice
  while (PGnotify* n = Pq().PQnotifies(conn_)) Pq().PQfreemem(n);
  if (Pq().PQstatus(conn_) != CONNECTION_OK) healthy_ = false;
  return healthy_;
}

bool PgConnection::ReturnToIdle() {
  if (!healthy_ || Pq().PQstatus(conn_) != CONNECTION_OK) return healthy_ = false;
  PGTransactionStatusType st = Pq().PQtransactionStatus(conn_);
  if (st == PQTRANS_IDLE) return true;
  if (st != PQTRANS_INTRANS && st != PQTRANS_INERROR) return healthy_ = false;
  PgResult r(Pq().PQexec(conn_, "ROLLBACK"));
  if (!r || Pq().PQresultStatus(r.get()) != PGRES_COMMAND_OK ||
      Pq().PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    return healthy_ = false;
  }
  return true;
}

}  // namespace idm::store::sql
