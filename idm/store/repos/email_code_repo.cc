// EmailCodeRepo and SmtpSettingsRepo over portable SQL (migration 0006). Issue is one conditional
// upsert and Use one conditional UPDATE; see idm/store/email_repos.h.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

class SqlEmailCodeRepo final : public EmailCodeRepo {
 public:
  explicit SqlEmailCodeRepo(sql::Connection& c) : c_(c) {}

  Result<bool> Issue(const core::EmailCode& e, core::UnixMillis not_before) override {
    auto rows = Query(c_,
                      "INSERT INTO email_codes (id, realm_id, user_id, purpose, code_hash, "
                      "expires_at, attempts, used_at, created_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7) "
                      "ON CONFLICT (user_id, purpose) DO UPDATE SET id = excluded.id, "
                      "code_hash = excluded.code_hash, expires_at = excluded.expires_at, "
                      "attempts = 0, used_at = NULL, created_at = excluded.created_at "
                      "WHERE email_codes.created_at <= $8 RETURNING id",
                      {e.id, e.realm_id, e.user_id, e.purpose, e.code_hash, e.expires_at,
                       e.created_at, not_before});
    if (!rows) return WithMessage(rows.error(), "the realm or user is absent");
    return !rows->empty();
  }

  Result<core::EmailCode> Get(const std::string& realm_id, const std::string& user_id,
                              const std::string& purpose) override {
    IDM_ASSIGN_OR_RETURN(auto r, Query(c_,
                                       "SELECT id, realm_id, user_id, purpose, code_hash, "
                                       "expires_at, attempts, used_at, created_at FROM "
                                       "email_codes WHERE realm_id = $1 AND user_id = $2 AND "
                                       "purpose = $3",
                                       {realm_id, user_id, purpose}));
    if (r.empty()) return NotFound("email code not found");
    core::EmailCode e;
    e.id = r.Text(0, 0);
    e.realm_id = r.Text(0, 1);
    e.user_id = r.Text(0, 2);
    e.purpose = r.Text(0, 3);
    e.code_hash = r.Text(0, 4);
    e.expires_at = r.Int(0, 5);
    e.attempts = r.Int(0, 6);
    e.used_at = r.IsNull(0, 7) ? 0 : r.Int(0, 7);
    e.created_at = r.Int(0, 8);
    return e;
  }

  Result<bool> Use(const std::string& realm_id, const std::string& user_id,
                   const std::string& purpose, const std::string& code_hash, core::UnixMillis now,
                   int64_t max_attempts) override {
    IDM_ASSIGN_OR_RETURN(int64_t n,
                         Exec(c_,
                              "UPDATE email_codes SET used_at = $1 WHERE realm_id = $2 AND "
                              "user_id = $3 AND purpose = $4 AND code_hash = $5 AND used_at IS "
                              "NULL AND expires_at > $1 AND attempts < $6",
                              {now, realm_id, user_id, purpose, code_hash, Int(max_attempts)}));
    if (n == 1) return true;
    IDM_ASSIGN_OR_RETURN(int64_t counted,
                         Exec(c_,
                              "UPDATE email_codes SET attempts = attempts + 1 WHERE realm_id = $1 "
                              "AND user_id = $2 AND purpose = $3 AND used_at IS NULL",
                              {realm_id, user_id, purpose}));
    (void)counted;
    return false;
  }

  Status Delete(const std::string& realm_id, const std::string& user_id,
                const std::string& purpose) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "DELETE FROM email_codes WHERE realm_id = $1 AND "
                                         "user_id = $2 AND purpose = $3",
                                         {realm_id, user_id, purpose}));
    (void)n;
    return {};
  }

  Result<int64_t> DeleteByUser(const std::string& realm_id, const std::string& user_id) override {
    return Exec(c_, "DELETE FROM email_codes WHERE realm_id = $1 AND user_id = $2",
                {realm_id, user_id});
  }

 private:
  sql::Connection& c_;
};

class SqlSmtpSettingsRepo final : public SmtpSettingsRepo {
 public:
  explicit SqlSmtpSettingsRepo(sql::Connection& c) : c_(c) {}

  Result<core::SmtpConfig> Get(const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(auto r, Query(c_,
                                       "SELECT realm_id, host, port, security, username, "
                                       "password_sealed, from_address, from_name, updated_at "
                                       "FROM realm_smtp WHERE realm_id = $1",
                                       {realm_id}));
    if (r.empty()) return NotFound("smtp settings not found");
    core::SmtpConfig s;
    s.realm_id = r.Text(0, 0);
    s.host = r.Text(0, 1);
    s.port = r.Int(0, 2);
    s.security = r.Text(0, 3);
    s.username = r.Text(0, 4);
    s.password_sealed = r.Text(0, 5);
    s.from_address = r.Text(0, 6);
    s.from_name = r.Text(0, 7);
    s.updated_at = r.Int(0, 8);
    return s;
  }

  Status Put(const core::SmtpConfig& s) override {
    auto r = Exec(c_,
                  "INSERT INTO realm_smtp (realm_id, host, port, security, username, "
                  "password_sealed, from_address, from_name, updated_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (realm_id) DO UPDATE "
                  "SET host = excluded.host, port = excluded.port, security = excluded.security, "
                  "username = excluded.username, password_sealed = excluded.password_sealed, "
                  "from_address = excluded.from_address, from_name = excluded.from_name, "
                  "updated_at = excluded.updated_at",
                  {s.realm_id, s.host, Int(s.port), s.security, s.username, s.password_sealed,
                   s.from_address, s.from_name, s.updated_at});
    if (!r) return WithMessage(r.error(), "the realm is absent");
    return {};
  }

  Status Delete(const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(int64_t n,
                         Exec(c_, "DELETE FROM realm_smtp WHERE realm_id = $1", {realm_id}));
    if (n == 0) return NotFound("smtp settings not found");
    return {};
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<EmailCodeRepo> NewEmailCodeRepo(sql::Connection& c) {
  return std::make_unique<SqlEmailCodeRepo>(c);
}

std::unique_ptr<SmtpSettingsRepo> NewSmtpSettingsRepo(sql::Connection& c) {
  return std::make_unique<SqlSmtpSettingsRepo>(c);
}

}  // namespace idm::store::repos
