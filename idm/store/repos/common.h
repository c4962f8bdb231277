// Helpers shared by the repositories: a $n query builder, ASCII case folding, prefix ranges,
// JSON columns, opaque paging cursors and the optimistic-concurrency verdict.
//
// Thread-safety: free functions and value types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/core/model.h"
#include "idm/store/sql/connection.h"
#include "idm/store/store.h"

namespace idm::store::repos {

// Collects SQL text and its parameters; Param() appends a value and returns its "$n".
class QueryBuilder {
 public:
  explicit QueryBuilder(std::string sql = "") : sql_(std::move(sql)) {}
  std::string Param(sql::Value v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }
  QueryBuilder& Add(std::string_view text) {
    sql_ += text;
    return *this;
  }
  const std::string& sql() const { return sql_; }
  const std::vector<sql::Value>& params() const { return params_; }

 private:
  std::string sql_;
  std::vector<sql::Value> params_;
};

inline sql::Value Bool(bool b) { return static_cast<int64_t>(b ? 1 : 0); }
inline sql::Value Int(int64_t i) { return i; }
// NULL for nullopt.
inline sql::Value OptText(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return *s;
}

// ASCII lower-casing: the case-insensitivity of usernames, emails and names (bytes >= 0x80 are
// kept, so UTF-8 text stays valid; see docs/design/002-storage.md).
std::string AsciiLower(std::string_view s);

// The exclusive upper bound of the strings that start with prefix under bytewise order:
// prefix + U+10FFFF, the greatest code point, so the bound is valid UTF-8 for PostgreSQL.
std::string PrefixUpper(std::string_view prefix);

// Appends " AND (col_1 >= p AND col_1 < u OR ...)" for a non-empty lower-cased prefix.
void AddPrefixFilter(QueryBuilder& q, const std::string& prefix_lower,
                     const std::vector<std::string>& columns);

// JSON TEXT columns. Decoding failures are kCorrupt (a stored value is damaged).
std::string EncodeAttributes(const core::Attributes& a);
Result<core::Attributes> DecodeAttributes(const std::string& json);
std::string EncodeStrings(const std::vector<std::string>& v);
Result<std::vector<std::string>> DecodeStrings(const std::string& json);

// Keyset paging on (sort key, id). A cursor is base64url(JSON {"q": tag, "k": key, "i": id});
// tag names the query (kind, scope, prefix), so a cursor from another query is kInvalid.
struct PageStart {
  bool has_cursor = false;
  std::string key;
  std::string id;
  int limit = 100;
};
Result<PageStart> StartPage(const ListQuery& q, const std::string& tag);
std::string MakeCursor(const std::string& tag, const std::string& key, const std::string& id);
// Appends the cursor predicate, ORDER BY and LIMIT limit+1 (one extra row says "there is more").
void AddPaging(QueryBuilder& q, const PageStart& p, const std::string& sort_col);

// After `UPDATE ... WHERE <key> AND version = $expected` changed no row: kNotFound if the row is
// gone, else kVersionMismatch. exists_sql selects any column of the row for exists_params.
Error NoRowUpdated(sql::Connection& c, const std::string& exists_sql,
                   const std::vector<sql::Value>& exists_params, const std::string& what);

// Convenience wrappers taking a QueryBuilder or a parameter list.
inline Result<sql::Rows> Query(sql::Connection& c, const QueryBuilder& q) {
  return c.Query(q.sql(), q.params());
}
inline Result<sql::Rows> Query(sql::Connection& c, std::string_view sql,
                               const std::vector<sql::Value>& params) {
  return c.Query(sql, params);
}
inline Result<int64_t> Exec(sql::Connection& c, std::string_view sql,
                            const std::vector<sql::Value>& params) {
  return c.Exec(sql, params);
}

// Maps a kConflict from a write to a message the caller can show ("username or email taken").
Error WithMessage(Error e, const std::string& message_if_conflict);

}  // namespace idm::store::repos
