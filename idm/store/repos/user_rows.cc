#include "idm/store/repos/user_rows.h"

namespace idm::store::repos {

Result<core::User> UserFromRow(const sql::Rows& r, size_t i) {
  core::User u;
  u.id = r.Text(i, 0);
  u.realm_id = r.Text(i, 1);
  u.username = r.Text(i, 2);
  u.email = r.Text(i, 3);
  u.email_verified = r.Int(i, 4) != 0;
  u.first_name = r.Text(i, 5);
  u.last_name = r.Text(i, 6);
  u.enabled = r.Int(i, 7) != 0;
  IDM_ASSIGN_OR_RETURN(u.attributes, DecodeAttributes(r.Text(i, 8)));
  u.created_at = r.Int(i, 9);
  u.updated_at = r.Int(i, 10);
  u.version = r.Int(i, 11);
  return u;
}

Result<Page<core::User>> UserPage(sql::Connection& c, const QueryBuilder& q, int limit,
                                  const std::string& tag) {
  IDM_ASSIGN_OR_RETURN(auto rows, Query(c, q));
  Page<core::User> page;
  size_t n = rows.size() > static_cast<size_t>(limit) ? static_cast<size_t>(limit) : rows.size();
  for (size_t i = 0; i < n; ++i) {
    IDM_ASSIGN_OR_RETURN(auto u, UserFromRow(rows, i));
    page.items.push_back(std::move(u));
  }
  if (rows.size() > n)
    page.next_cursor = MakeCursor(tag, rows.Text(n - 1, 12), rows.Text(n - 1, 0));
  return page;
}

}  // namespace idm::store::repos
