// UserRepo over portable SQL. Case-insensitive uniqueness and search use the *_lower columns
// (unique index on (realm_id, username_lower), partial unique index on (realm_id, email_lower)
// for non-empty emails); list order is (username_lower, id) — keyset paging on the unique index,
// so a page costs the same at user 10 and at user 1,000,000.
#include <iterator>
#include <string_view>

#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"
#include "idm/store/repos/user_rows.h"

namespace idm::store::repos {
namespace {

class SqlUserRepo final : public UserRepo {
 public:
  explicit SqlUserRepo(sql::Connection& c) : c_(c) {}

  Result<core::User> Create(const core::User& user) override {
    core::User out = user;
    out.version = 1;
    auto r = Exec(
        c_,
        "INSERT INTO users (id, realm_id, username, username_lower, email, email_lower, "
        "email_verified, first_name, first_lower, last_name, last_lower, enabled, "
        "attributes, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        {out.id, out.realm_id, out.username, AsciiLower(out.username), out.email,
         AsciiLower(out.email), Bool(out.email_verified), out.first_name,
         AsciiLower(out.first_name), out.last_name, AsciiLower(out.last_name), Bool(out.enabled),
         EncodeAttributes(out.attributes), out.created_at, out.updated_at, out.version});
    if (!r) return WithMessage(r.error(), "username or email is taken, or the realm is absent");
    return out;
  }

  Result<core::User> Get(const std::string& realm_id, const std::string& id) override {
    return One("realm_id = $1 AND id = $2", realm_id, id);
  }

  Result<core::User> GetByUsername(const std::string& realm_id,
                                   const std::string& username) override {
    return One("realm_id = $1 AND username_lower = $2", realm_id, AsciiLower(username));
  }

  Result<core::User> GetByEmail(const std::string& realm_id, const std::string& email) override {
    if (email.empty()) return NotFound("user not found");
    return One("realm_id = $1 AND email_lower = $2 AND email_lower <> ''", realm_id,
               AsciiLower(email));
  }

  Result<Page<core::User>> List(const std::string& realm_id, const ListQuery& q) override {
    std::string prefix = AsciiLower(q.prefix);
    std::string tag = "users/" + realm_id + "/" + prefix;
    IDM_ASSIGN_OR_RETURN(PageStart p, StartPage(q, tag));
    QueryBuilder b("SELECT " + std::string(kUserCols) + " FROM ");
    if (prefix.empty()) {
      b.Add("users u WHERE u.realm_id = ").Add(b.Param(realm_id));
      AddPaging(b, p, "u.username_lower", "u.id");
      return UserPage(c_, b, p.limit, tag);
    }
    AddPrefixMatches(b, realm_id, prefix);
    AddPaging(b, p, "u.username_lower", "u.id");
    if (c_.dialect() != sql::Dialect::kPostgres) return UserPage(c_, b, p.limit, tag);
    // PostgreSQL re-plans this prepared statement on every execution: its custom plans, costed
    // with the real prefix, always look cheaper than the generic plan, and planning four branches
    // against a million-row table's statistics cost more than running them (pgbench on 1,000,000
    // users: 2,500 searches/s planned each time, 6,700 with the generic plan; at 1,000 users the
    // two are alike). The generic plan is the one wanted for any prefix: each branch an index range
    // scan (docs/design/025, decision 9). SET LOCAL ends with the transaction; RESET puts the
    // session's own setting back at once, for the statements that follow in it.
    IDM_TRY(Exec(c_, "SET LOCAL plan_cache_mode = force_generic_plan", {}));
    auto page = UserPage(c_, b, p.limit, tag);
    IDM_TRY(Exec(c_, "RESET plan_cache_mode", {}));
    return page;
  }

  Result<int64_t> Count(const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows,
                         Query(c_, "SELECT COUNT(*) FROM users WHERE realm_id = $1", {realm_id}));
    return rows.Int(0, 0);
  }

  Result<core::User> Update(const core::User& u) override {
    auto n = Exec(c_,
                  "UPDATE users SET username = $1, username_lower = $2, email = $3, "
                  "email_lower = $4, email_verified = $5, first_name = $6, first_lower = $7, "
                  "last_name = $8, last_lower = $9, enabled = $10, attributes = $11, "
                  "updated_at = $12, version = version + 1 "
                  "WHERE realm_id = $13 AND id = $14 AND version = $15",
                  {u.username, AsciiLower(u.username), u.email, AsciiLower(u.email),
                   Bool(u.email_verified), u.first_name, AsciiLower(u.first_name), u.last_name,
                   AsciiLower(u.last_name), Bool(u.enabled), EncodeAttributes(u.attributes),
                   u.updated_at, u.realm_id, u.id, u.version});
    if (!n) return WithMessage(n.error(), "username or email is taken");
    if (*n == 0) {
      return NoRowUpdated(c_, "SELECT id FROM users WHERE realm_id = $1 AND id = $2",
                          {u.realm_id, u.id}, "user");
    }
    return Get(u.realm_id, u.id);
  }

  Status Delete(const std::string& realm_id, const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_, "DELETE FROM users WHERE realm_id = $1 AND id = $2", {realm_id, id}));
    if (n == 0) return NotFound("user not found");
    return {};
  }

  Result<std::string> GetPasswordHash(const std::string& realm_id,
                                      const std::string& user_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows,
                         Query(c_,
                               "SELECT p.phc FROM user_passwords p JOIN users u ON u.id = "
                               "p.user_id WHERE u.realm_id = $1 AND u.id = $2",
                               {realm_id, user_id}));
    if (rows.empty()) return NotFound("user has no password");
    return rows.Text(0, 0);
  }

  Status SetPasswordHash(const std::string& realm_id, const std::string& user_id,
                         const std::string& phc, core::UnixMillis now) override {
    IDM_TRY(Get(realm_id, user_id));
    IDM_TRY(Exec(c_,
                 "INSERT INTO user_passwords (user_id, phc, updated_at) VALUES ($1, $2, $3) "
                 "ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, "
                 "updated_at = excluded.updated_at",
                 {user_id, phc, now}));
    return {};
  }

 private:
  // "(the users matching the prefix in any searched column) u WHERE 1 = 1". Each branch is one
  // index range scan, so the cost follows the number of matches, not the realm's size (an OR over
  // the columns lets the planner walk the whole realm in username order instead). The branches
  // return whole rows, which UNION deduplicates (a user matching in two columns is the same row
  // twice): joining ids back to users by primary key doubled the index lookups per match, and on
  // PostgreSQL a fifth table reference in a statement that is planned afresh on every execution
  // (docs/design/025, decision 9). PostgreSQL pushes the paging condition AddPaging adds outside
  // into each branch (EXPLAIN on 1,000,000 users).
  static void AddPrefixMatches(QueryBuilder& b, const std::string& realm_id,
                               const std::string& prefix) {
    std::string r = b.Param(realm_id);
    std::string lo = b.Param(prefix);
    std::string hi = b.Param(PrefixUpper(prefix));
    b.Add("(");
    const char* cols[] = {"username_lower", "email_lower", "first_lower", "last_lower"};
    for (size_t i = 0; i < std::size(cols); ++i) {
      std::string col = std::string("u.") + cols[i];
      if (i) b.Add(" UNION ");
      b.Add("SELECT " + std::string(kUserCols) + " FROM users u WHERE u.realm_id = " + r +
            " AND " + col + " >= " + lo + " AND " + col + " < " + hi);
      // Lets the planner use the partial unique index on non-empty emails.
      if (std::string_view(cols[i]) == "email_lower") b.Add(" AND u.email_lower <> ''");
    }
    b.Add(") u WHERE 1 = 1");
  }

  Result<core::User> One(const std::string& where, const std::string& a, const std::string& b) {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, "SELECT " + std::string(kUserCols) + " FROM users u WHERE " + where, {a, b}));
    if (rows.empty()) return NotFound("user not found");
    return UserFromRow(rows, 0);
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<UserRepo> NewUserRepo(sql::Connection& c) {
  return std::make_unique<SqlUserRepo>(c);
}

}  // namespace idm::store::repos
