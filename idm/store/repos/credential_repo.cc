// CredentialRepo and RecoveryCodeRepo over portable SQL (migration 0004). The single-use checks
// (AcceptTotpStep, Use) are one conditional UPDATE each; see idm/store/mfa_repos.h.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kCredentialCols[] =
    "id, realm_id, user_id, type, name, secret, algorithm, digits, period, last_used_step, "
    "confirmed_at, created_at, last_used_at";

core::Credential CredentialFromRow(const sql::Rows& r, size_t i) {
  core::Credential c;
  c.id = r.Text(i, 0);
  c.realm_id = r.Text(i, 1);
  c.user_id = r.Text(i, 2);
  c.type = r.Text(i, 3);
  c.name = r.Text(i, 4);
  c.secret = r.Text(i, 5);
  c.algorithm = r.Text(i, 6);
  c.digits = r.Int(i, 7);
  c.period = r.Int(i, 8);
  if (!r.IsNull(i, 9)) c.last_used_step = r.Int(i, 9);
  c.confirmed_at = r.Int(i, 10);
  c.created_at = r.Int(i, 11);
  c.last_used_at = r.Int(i, 12);
  return c;
}

class SqlCredentialRepo final : public CredentialRepo {
 public:
  explicit SqlCredentialRepo(sql::Connection& c) : c_(c) {}

  Status Create(const core::Credential& c) override {
    sql::Value step = nullptr;
    if (c.last_used_step) step = *c.last_used_step;
    auto r =
        Exec(c_,
             "INSERT INTO credentials (id, realm_id, user_id, type, name, secret, algorithm, "
             "digits, period, last_used_step, confirmed_at, created_at, last_used_at) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
             {c.id, c.realm_id, c.user_id, c.type, c.name, c.secret, c.algorithm, Int(c.digits),
              Int(c.period), step, c.confirmed_at, c.created_at, c.last_used_at});
    if (!r) return WithMessage(r.error(), "credential exists, or its realm or user is absent");
    return {};
  }

  Result<core::Credential> Get(const std::string& realm_id, const std::string& user_id,
                               const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kCredentialCols) +
                                              " FROM credentials WHERE realm_id = $1 AND "
                                              "user_id = $2 AND id = $3",
                                          {realm_id, user_id, id}));
    if (rows.empty()) return NotFound("credential not found");
    return CredentialFromRow(rows, 0);
  }

  Result<std::vector<core::Credential>> ListByUser(const std::string& realm_id,
                                                   const std::string& user_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kCredentialCols) +
                                              " FROM credentials WHERE realm_id = $1 AND "
                                              "user_id = $2 ORDER BY created_at, id",
                                          {realm_id, user_id}));
    std::vector<core::Credential> out;
    for (size_t i = 0; i < rows.size(); ++i) out.push_back(CredentialFromRow(rows, i));
    return out;
  }

  Status Rename(const std::string& realm_id, const std::string& user_id, const std::string& id,
                const std::string& name) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "UPDATE credentials SET name = $1 WHERE realm_id = $2 "
                                         "AND user_id = $3 AND id = $4",
                                         {name, realm_id, user_id, id}));
    if (n == 0) return NotFound("credential not found");
    return {};
  }

  Status Delete(const std::string& realm_id, const std::string& user_id,
                const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "DELETE FROM credentials WHERE realm_id = $1 AND "
                                         "user_id = $2 AND id = $3",
                                         {realm_id, user_id, id}));
    if (n == 0) return NotFound("credential not found");
    return {};
  }

  Result<int64_t> DeleteByUser(const std::string& realm_id, const std::string& user_id) override {
    return Exec(c_, "DELETE FROM credentials WHERE realm_id = $1 AND user_id = $2",
                {realm_id, user_id});
  }

  Status Confirm(const std::string& realm_id, const std::string& user_id, const std::string& id,
                 core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "UPDATE credentials SET confirmed_at = $1 WHERE "
                                         "realm_id = $2 AND user_id = $3 AND id = $4 AND "
                                         "confirmed_at = 0",
                                         {now, realm_id, user_id, id}));
    if (n == 0) return NotFound("credential not found or already confirmed");
    return {};
  }

  Result<bool> AcceptTotpStep(const std::string& realm_id, const std::string& user_id,
                              const std::string& id, int64_t step, core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(int64_t n,
                         Exec(c_,
                              "UPDATE credentials SET last_used_step = $1, last_used_at = $2 WHERE "
                              "realm_id = $3 AND user_id = $4 AND id = $5 AND "
                              "(last_used_step IS NULL OR last_used_step < $1)",
                              {Int(step), now, realm_id, user_id, id}));
    if (n == 1) return true;
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT id FROM credentials WHERE realm_id = $1 AND "
                                          "user_id = $2 AND id = $3",
                                          {realm_id, user_id, id}));
    if (rows.empty()) return NotFound("credential not found");
    return false;
  }

 private:
  sql::Connection& c_;
};

class SqlRecoveryCodeRepo final : public RecoveryCodeRepo {
 public:
  explicit SqlRecoveryCodeRepo(sql::Connection& c) : c_(c) {}

  Status Replace(const std::string& realm_id, const std::string& user_id,
                 const std::vector<core::RecoveryCode>& codes) override {
    IDM_TRY(DeleteByUser(realm_id, user_id));
    for (const core::RecoveryCode& code : codes) {
      auto r = Exec(c_,
                    "INSERT INTO recovery_codes (code_hash, realm_id, user_id, created_at, "
                    "used_at) VALUES ($1, $2, $3, $4, NULL)",
                    {code.code_hash, realm_id, user_id, code.created_at});
      if (!r) return WithMessage(r.error(), "recovery code exists, or the realm or user is absent");
    }
    return {};
  }

  Result<std::vector<core::RecoveryCode>> ListByUser(const std::string& realm_id,
                                                     const std::string& user_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT code_hash, realm_id, user_id, created_at, "
                                          "used_at FROM recovery_codes WHERE realm_id = $1 AND "
                                          "user_id = $2 ORDER BY created_at, code_hash",
                                          {realm_id, user_id}));
    std::vector<core::RecoveryCode> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      core::RecoveryCode c;
      c.code_hash = rows.Text(i, 0);
      c.realm_id = rows.Text(i, 1);
      c.user_id = rows.Text(i, 2);
      c.created_at = rows.Int(i, 3);
      c.used_at = rows.IsNull(i, 4) ? 0 : rows.Int(i, 4);
      out.push_back(std::move(c));
    }
    return out;
  }

  Result<bool> Use(const std::string& realm_id, const std::string& user_id,
                   const std::string& code_hash, core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "UPDATE recovery_codes SET used_at = $1 WHERE "
                                         "realm_id = $2 AND user_id = $3 AND code_hash = $4 "
                                         "AND used_at IS NULL",
                                         {now, realm_id, user_id, code_hash}));
    return n == 1;
  }

  Result<int64_t> DeleteByUser(const std::string& realm_id, const std::string& user_id) override {
    return Exec(c_, "DELETE FROM recovery_codes WHERE realm_id = $1 AND user_id = $2",
                {realm_id, user_id});
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<CredentialRepo> NewCredentialRepo(sql::Connection& c) {
  return std::make_unique<SqlCredentialRepo>(c);
}

std::unique_ptr<RecoveryCodeRepo> NewRecoveryCodeRepo(sql::Connection& c) {
  return std::make_unique<SqlRecoveryCodeRepo>(c);
}

}  // namespace idm::store::repos
