// Reading users from rows, shared by UserRepo and GroupRepo::ListMembers.
// Thread-safety: free functions.
#pragma once

#include <string>

#include "idm/core/model.h"
#include "idm/store/repos/common.h"

namespace idm::store::repos {

// The user columns, qualified with the alias "u", in the order UserFromRow reads them; the sort
// key username_lower comes last.
inline constexpr char kUserCols[] =
    "u.id, u.realm_id, u.username, u.email, u.email_verified, u.first_name, u.last_name, "
    "u.enabled, u.attributes, u.created_at, u.updated_at, u.version, u.username_lower";

// kCorrupt if the stored attributes are damaged.
Result<core::User> UserFromRow(const sql::Rows& r, size_t i);

// Runs a paged query built with AddPaging over kUserCols and makes the page.
Result<Page<core::User>> UserPage(sql::Connection& c, const QueryBuilder& q, int limit,
                                  const std::string& tag);

}  // namespace idm::store::repos
