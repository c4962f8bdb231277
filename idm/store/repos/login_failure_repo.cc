// LoginFailureRepo over portable SQL. RecordFailure is one INSERT ... ON CONFLICT DO UPDATE, so
// failures arriving at once on several nodes are all counted (no read-modify-write); the lock
// decision is made in the same statement from the policy the caller passes.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kLoginFailureCols[] =
    "realm_id, key, failures, first_failure_at, last_failure_at, locked_until";

core::LoginFailureCounter LoginFailureFromRow(const sql::Rows& r, size_t i) {
  core::LoginFailureCounter c;
  c.realm_id = r.Text(i, 0);
  c.key = r.Text(i, 1);
  c.failures = r.Int(i, 2);
  c.first_failure_at = r.Int(i, 3);
  c.last_failure_at = r.Int(i, 4);
  c.locked_until = r.Int(i, 5);
  return c;
}

// $3 now, $4 max_failures, $5 lockout_ms, $6 window_ms. A failure more than window_ms after the
// previous one starts a new count. SET expressions read the row as it was before the update.
constexpr char kRecordSql[] =
    "INSERT INTO login_failures AS f (realm_id, key, failures, first_failure_at, "
    "last_failure_at, locked_until) VALUES ($1, $2, 1, $3, $3, "
    "CASE WHEN $4 > 0 AND 1 >= $4 THEN $3 + $5 ELSE 0 END) "
    "ON CONFLICT (realm_id, key) DO UPDATE SET "
    "failures = CASE WHEN $6 > 0 AND f.last_failure_at + $6 < $3 THEN 1 "
    "ELSE f.failures + 1 END, "
    "first_failure_at = CASE WHEN $6 > 0 AND f.last_failure_at + $6 < $3 THEN $3 "
    "ELSE f.first_failure_at END, "
    "last_failure_at = $3, "
    "locked_until = CASE WHEN $4 > 0 AND (CASE WHEN $6 > 0 AND f.last_failure_at + $6 < $3 "
    "THEN 1 ELSE f.failures + 1 END) >= $4 THEN $3 + $5 ELSE f.locked_until END "
    "RETURNING realm_id, key, failures, first_failure_at, last_failure_at, locked_until";

class SqlLoginFailureRepo final : public LoginFailureRepo {
 public:
  explicit SqlLoginFailureRepo(sql::Connection& c) : c_(c) {}

  Result<core::LoginFailureCounter> RecordFailure(const std::string& realm_id,
                                                  const std::string& key, core::UnixMillis now,
                                                  const LockoutPolicy& p) override {
    auto rows =
        Query(c_, kRecordSql,
              {realm_id, key, now, Int(p.max_failures), Int(p.lockout_ms), Int(p.window_ms)});
    if (!rows) return WithMessage(rows.error(), "realm is absent");
    if (rows->empty()) return Corrupt("login failure upsert returned no row");
    return LoginFailureFromRow(*rows, 0);
  }

  Status Reset(const std::string& realm_id, const std::string& key) override {
    IDM_TRY(
        Exec(c_, "DELETE FROM login_failures WHERE realm_id = $1 AND key = $2", {realm_id, key}));
    return {};
  }

  Result<core::LoginFailureCounter> Get(const std::string& realm_id,
                                        const std::string& key) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kLoginFailureCols) +
                                              " FROM login_failures WHERE realm_id = $1 AND "
                                              "key = $2",
                                          {realm_id, key}));
    if (rows.empty()) return NotFound("no login failures recorded");
    return LoginFailureFromRow(rows, 0);
  }

  Status Unlock(const std::string& realm_id, const std::string& key) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "UPDATE login_failures SET failures = 0, "
                                         "locked_until = 0 WHERE realm_id = $1 AND key = $2",
                                         {realm_id, key}));
    if (n == 0) return NotFound("no login failures recorded");
    return {};
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<LoginFailureRepo> NewLoginFailureRepo(sql::Connection& c) {
  return std::make_unique<SqlLoginFailureRepo>(c);
}

}  // namespace idm::store::repos
