#include "idm/store/sql/sqlite_connection.h"

#include <charconv>
#include <cstring>
#include <string>
#include <system_error>

namespace idm::store::sql {

ErrorCode SqliteErrorCode(int extended_rc) {
  switch (extended_rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ErrorCode::kConflict;
    default:
      break;
  }
  switch (extended_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
      return ErrorCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kCorrupt;
    default:
      return ErrorCode::kInvalid;
  }
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 int flags, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e{SqliteErrorCode(db ? sqlite3_extended_errcode(db) : rc),
            "cannot open SQLite database " + path + ": " + sqlite3_errstr(rc)};
    if (e.code == ErrorCode::kInvalid) e.code = ErrorCode::kUnavailable;
    sqlite3_close_v2(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  IDM_TRY(conn->ExecScript("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=" +
                           std::to_string(busy_timeout_ms) + "; PRAGMA synchronous=NORMAL;"));
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, prepared] : cache_) sqlite3_finalize(prepared.stmt);
  sqlite3_close_v2(db_);
}

Error SqliteConnection::MakeError(int rc, std::string_view what) {
  int ext = sqlite3_extended_errcode(db_);
  if ((ext & 0xff) != (rc & 0xff)) ext = rc;
  Error e{SqliteErrorCode(ext), std::string(what) + ": " + sqlite3_errmsg(db_)};
  if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kCorrupt) healthy_ = false;
  return e;
}

Result<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql,
                                                std::span<const Value> params) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    Prepared p;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &p.stmt, nullptr);
    if (rc != SQLITE_OK) return MakeError(rc, "prepare failed for [" + std::string(sql) + "]");
    // Named parameters get their indexes in order of first appearance; map each $k once.
    for (int idx = 1; idx <= sqlite3_bind_parameter_count(p.stmt); ++idx) {
      const char* name = sqlite3_bind_parameter_name(p.stmt, idx);
      if (name == nullptr || name[0] != '$') continue;
      const char* end = name + std::strlen(name);
      int k = 0;
      auto [parsed_to, ec] = std::from_chars(name + 1, end, k);
      if (ec != std::errc() || parsed_to != end || k < 1) continue;
      if (p.index_of.size() < static_cast<size_t>(k)) p.index_of.resize(static_cast<size_t>(k));
      p.index_of[static_cast<size_t>(k) - 1] = idx;
    }
    it = cache_.emplace(std::string(sql), std::move(p)).first;
  }
  sqlite3_stmt* stmt = it->second.stmt;
  const std::vector<int>& index_of = it->second.index_of;
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = i < index_of.size() ? index_of[i] : 0;
    if (idx == 0) continue;  // the statement does not use this parameter
    int rc = SQLITE_OK;
    const Value& v = params[i];
    if (std::holds_alternative<std::nullptr_t>(v)) {
      rc = sqlite3_bind_null(stmt, idx);
    } else if (std::holds_alternative<int64_t>(v)) {
      rc = sqlite3_bind_int64(stmt, idx, std::get<int64_t>(v));
    } else {
      const std::string& s = std::get<std::string>(v);
      rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) {
      sqlite3_clear_bindings(stmt);
      return MakeError(rc, "bind failed for [" + std::string(sql) + "]");
    }
  }
  return stmt;
}

namespace {

Value ReadCell(sqlite3_stmt* stmt, int col) {
  switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, col));
    case SQLITE_FLOAT:
      return static_cast<int64_t>(sqlite3_column_double(stmt, col));
    default: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, col));
      int n = sqlite3_column_bytes(stmt, col);
      return std::string(p ? p : "", static_cast<size_t>(n));
    }
  }
}

}  // namespace

Result<Rows> SqliteConnection::Run(std::string_view sql, std::span<const Value> params,
                                   bool collect) {
  IDM_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
  Rows out;
  int ncol = sqlite3_column_count(stmt);
  if (collect) {
    for (int c = 0; c < ncol; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!collect) continue;
    std::vector<Value> row;
    row.reserve(static_cast<size_t>(ncol));
    for (int c = 0; c < ncol; ++c) row.push_back(ReadCell(stmt, c));
    out.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    Error e = MakeError(rc, "statement failed [" + std::string(sql) + "]");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return e;
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return out;
}

Result<Rows> SqliteConnection::Query(std::string_view sql, std::span<const Value> params) {
  return Run(sql, params, /*collect=*/true);
}

Result<int64_t> SqliteConnection::Exec(std::string_view sql, std::span<const Value> params) {
  IDM_TRY(Run(sql, params, /*collect=*/false));
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

Status SqliteConnection::ExecScript(std::string_view script) {
  std::string text(script);
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
  if (rc == SQLITE_OK) return {};
  std::string detail = msg ? msg : sqlite3_errstr(rc);
  sqlite3_free(msg);
  Error e = MakeError(rc, "script failed");
  e.message = "script failed: " + detail;
  return e;
}

}  // namespace idm::store::sql
