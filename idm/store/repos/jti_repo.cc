// JtiRepo over portable SQL. The primary key (realm, client, jti) makes InsertIfAbsent atomic
// across nodes: of two concurrent inserts PostgreSQL lets the second wait on the unique index and
// then take the ON CONFLICT branch; SQLite's single writer serialises them. An entry that has
// expired is replaced (the DO UPDATE's WHERE), so a jti is refused only while it is remembered.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

class SqlJtiRepo final : public JtiRepo {
 public:
  explicit SqlJtiRepo(sql::Connection& c) : c_(c) {}

  Result<bool> InsertIfAbsent(const core::UsedJti& j, core::UnixMillis now) override {
    auto n = Exec(c_,
                  "INSERT INTO used_jtis AS u (realm_id, client_id, jti, expires_at) "
                  "VALUES ($1, $2, $3, $4) ON CONFLICT (realm_id, client_id, jti) DO UPDATE SET "
                  "expires_at = excluded.expires_at WHERE u.expires_at <= $5",
                  {j.realm_id, j.client_id, j.jti, j.expires_at, now});
    if (!n) return WithMessage(n.error(), "realm or client is absent");
    return *n > 0;
  }

  Result<int64_t> DeleteExpired(core::UnixMillis now) override {
    return Exec(c_, "DELETE FROM used_jtis WHERE expires_at <= $1", {now});
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<JtiRepo> NewJtiRepo(sql::Connection& c) { return std::make_unique<SqlJtiRepo>(c); }

}  // namespace idm::store::repos
