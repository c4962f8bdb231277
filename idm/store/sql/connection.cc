#include "idm/store/sql/connection.h"

#include <cassert>

namespace idm::store::sql {

namespace {
const std::string kEmpty;
}  // namespace

int64_t Rows::Int(size_t row, size_t col) const {
  assert(row < rows.size() && col < rows[row].size());
  const Value& v = rows[row][col];
  if (std::holds_alternative<std::nullptr_t>(v)) return 0;
  assert(std::holds_alternative<int64_t>(v));
  return std::get<int64_t>(v);
}

const std::string& Rows::Text(size_t row, size_t col) const {
  assert(row < rows.size() && col < rows[row].size());
  const Value& v = rows[row][col];
  if (std::holds_alternative<std::nullptr_t>(v)) return kEmpty;
  assert(std::holds_alternative<std::string>(v));
  return std::get<std::string>(v);
}

bool Rows::IsNull(size_t row, size_t col) const {
  assert(row < rows.size() && col < rows[row].size());
  return std::holds_alternative<std::nullptr_t>(rows[row][col]);
}

}  // namespace idm::store::sql
