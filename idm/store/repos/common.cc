#include "idm/store/repos/common.h"

#include "idm/core/json.h"
#include "idm/crypto/encoding.h"

namespace idm::store::repos {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

std::string PrefixUpper(std::string_view prefix) {
  return std::string(prefix) + "\xF4\x8F\xBF\xBF";
}

void AddPrefixFilter(QueryBuilder& q, const std::string& prefix_lower,
                     const std::vector<std::string>& columns) {
  if (prefix_lower.empty()) return;
  std::string lo = q.Param(prefix_lower);
  std::string hi = q.Param(PrefixUpper(prefix_lower));
  q.Add(" AND (");
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) q.Add(" OR ");
    q.Add("(" + columns[i] + " >= " + lo + " AND " + columns[i] + " < " + hi + ")");
  }
  q.Add(")");
}

std::string EncodeAttributes(const core::Attributes& a) { return core::Json(a).dump(); }

Result<core::Attributes> DecodeAttributes(const std::string& json) {
  auto j = core::Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corrupt("stored attributes are not a JSON object");
  core::Attributes out;
  for (auto& [k, v] : j.items()) {
    if (!v.is_array()) return Corrupt("stored attribute values are not a JSON array");
    for (auto& s : v) {
      if (!s.is_string()) return Corrupt("stored attribute value is not a string");
      out[k].push_back(s.get<std::string>());
    }
  }
  return out;
}

std::string EncodeStrings(const std::vector<std::string>& v) { return core::Json(v).dump(); }

Result<std::vector<std::string>> DecodeStrings(const std::string& json) {
  auto j = core::Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) return Corrupt("stored list is not a JSON array");
  std::vector<std::string> out;
  for (auto& s : j) {
    if (!s.is_string()) return Corrupt("stored list item is not a string");
    out.push_back(s.get<std::string>());
  }
  return out;
}

Result<PageStart> StartPage(const ListQuery& q, const std::string& tag) {
  if (q.limit < 1 || q.limit > 1000) return Invalid("limit must be between 1 and 1000");
  PageStart p;
  p.limit = q.limit;
  if (q.cursor.empty()) return p;
  auto raw = crypto::Base64UrlDecode(q.cursor);
  if (!raw) return Invalid("malformed cursor");
  auto j = core::Json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("q") || !j.contains("k") ||
      !j.contains("i") || !j["q"].is_string() || !j["k"].is_string() || !j["i"].is_string()) {
    return Invalid("malformed cursor");
  }
  if (j["q"].get<std::string>() != tag) return Invalid("cursor belongs to another query");
  p.has_cursor = true;
  p.key = j["k"].get<std::string>();
  p.id = j["i"].get<std::string>();
  return p;
}

std::string MakeCursor(const std::string& tag, const std::string& key, const std::string& id) {
  core::Json j = {{"q", tag}, {"k", key}, {"i", id}};
  return crypto::Base64UrlEncode(j.dump());
}

void AddPaging(QueryBuilder& q, const PageStart& p, const std::string& sort_col) {
  if (p.has_cursor) {
    std::string k = q.Param(p.key);
    std::string i = q.Param(p.id);
    // Row-value comparison: one index range scan in both SQLite (3.15+) and PostgreSQL.
    q.Add(" AND (" + sort_col + ", id) > (" + k + ", " + i + ")");
  }
  q.Add(" ORDER BY " + sort_col + ", id LIMIT " + q.Param(Int(p.limit + 1)));
}

Error NoRowUpdated(sql::Connection& c, const std::string& exists_sql,
                   const std::vector<sql::Value>& exists_params, const std::string& what) {
  auto rows = c.Query(exists_sql, exists_params);
  if (!rows) return rows.error();
  if (rows->empty()) return NotFound(what + " not found");
  return VersionMismatch(what + " was changed by someone else (version mismatch)");
}

Error WithMessage(Error e, const std::string& message_if_conflict) {
  if (e.code == ErrorCode::kConflict) e.message = message_if_conflict + " (" + e.message + ")";
  return e;
}

}  // namespace idm::store::repos
