// SessionRepo over portable SQL. The cookie value is never stored, only its hash (unique index,
// the lookup of every request). The clients a session took part in are rows of
// sso_session_clients, so concurrent AddClient calls on several nodes never lose one another.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kSessionCols[] =
    "id, realm_id, user_id, session_hash, auth_time, last_seen_at, idle_expires_at, "
    "absolute_expires_at, acr, amr, created_at, revoked_at";

Result<core::SsoSession> SessionFromRow(const sql::Rows& r, size_t i) {
  core::SsoSession s;
  s.id = r.Text(i, 0);
  s.realm_id = r.Text(i, 1);
  s.user_id = r.Text(i, 2);
  s.session_hash = r.Text(i, 3);
  s.auth_time = r.Int(i, 4);
  s.last_seen_at = r.Int(i, 5);
  s.idle_expires_at = r.Int(i, 6);
  s.absolute_expires_at = r.Int(i, 7);
  s.acr = r.Text(i, 8);
  IDM_ASSIGN_OR_RETURN(s.amr, DecodeStrings(r.Text(i, 9)));
  s.created_at = r.Int(i, 10);
  s.revoked_at = r.Int(i, 11);
  return s;
}

class SqlSessionRepo final : public SessionRepo {
 public:
  explicit SqlSessionRepo(sql::Connection& c) : c_(c) {}

  Status Create(const core::SsoSession& s) override {
    auto r = Exec(c_,
                  "INSERT INTO sso_sessions (id, realm_id, user_id, session_hash, auth_time, "
                  "last_seen_at, idle_expires_at, absolute_expires_at, acr, amr, created_at, "
                  "revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                  {s.id, s.realm_id, s.user_id, s.session_hash, s.auth_time, s.last_seen_at,
                   s.idle_expires_at, s.absolute_expires_at, s.acr, EncodeStrings(s.amr),
                   s.created_at, s.revoked_at});
    if (!r) return WithMessage(r.error(), "session exists, or its realm or user is absent");
    for (const std::string& client_id : s.client_ids) IDM_TRY(AddClient(s.id, client_id));
    return {};
  }

  Result<core::SsoSession> Get(const std::string& realm_id, const std::string& id) override {
    return One("realm_id = $1 AND id = $2", {realm_id, id});
  }

  Result<core::SsoSession> GetByHash(const std::string& session_hash) override {
    return One("session_hash = $1", {session_hash});
  }

  Status Touch(const std::string& id, core::UnixMillis now,
               core::UnixMillis idle_expires_at) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_,
                        "UPDATE sso_sessions SET last_seen_at = $1, idle_expires_at = CASE WHEN "
                        "$2 < absolute_expires_at THEN $2 ELSE absolute_expires_at END "
                        "WHERE id = $3 AND revoked_at = 0",
                        {now, idle_expires_at, id}));
    if (n == 0) return NotFound("session not found or revoked");
    return {};
  }

  Status Reauthenticate(const std::string& id, core::UnixMillis auth_time, const std::string& acr,
                        const std::vector<std::string>& amr) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "UPDATE sso_sessions SET auth_time = $1, acr = $2, "
                                         "amr = $3 WHERE id = $4 AND revoked_at = 0",
                                         {auth_time, acr, EncodeStrings(amr), id}));
    if (n == 0) return NotFound("session not found or revoked");
    return {};
  }

  Status AddClient(const std::string& id, const std::string& client_id) override {
    IDM_ASSIGN_OR_RETURN(auto found, Query(c_, "SELECT id FROM sso_sessions WHERE id = $1", {id}));
    if (found.empty()) return NotFound("session not found");
    auto r = Exec(c_,
                  "INSERT INTO sso_session_clients (session_id, client_id) VALUES ($1, $2) "
                  "ON CONFLICT (session_id, client_id) DO NOTHING",
                  {id, client_id});
    if (!r) return WithMessage(r.error(), "client is absent");
    return {};
  }

  Status Revoke(const std::string& id, core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(auto found, Query(c_, "SELECT id FROM sso_sessions WHERE id = $1", {id}));
    if (found.empty()) return NotFound("session not found");
    IDM_TRY(Exec(c_, "UPDATE sso_sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0",
                 {now, id}));
    return {};
  }

  Result<int64_t> RevokeByUser(const std::string& realm_id, const std::string& user_id,
                               core::UnixMillis now) override {
    return Exec(c_,
                "UPDATE sso_sessions SET revoked_at = $1 WHERE realm_id = $2 AND user_id = $3 "
                "AND revoked_at = 0",
                {now, realm_id, user_id});
  }

  Result<std::vector<core::SsoSession>> ListActiveByUser(const std::string& realm_id,
                                                         const std::string& user_id,
                                                         core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(
        auto rows, Query(c_,
                         "SELECT " + std::string(kSessionCols) +
                             " FROM sso_sessions WHERE realm_id = $1 AND user_id = $2 AND "
                             "revoked_at = 0 AND idle_expires_at > $3 AND absolute_expires_at > "
                             "$3 ORDER BY created_at DESC, id DESC",
                         {realm_id, user_id, now}));
    std::vector<core::SsoSession> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      IDM_ASSIGN_OR_RETURN(auto s, SessionFromRow(rows, i));
      IDM_ASSIGN_OR_RETURN(s.client_ids, ClientsOf(s.id));
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<int64_t> DeleteExpired(core::UnixMillis now) override {
    return Exec(c_,
                "DELETE FROM sso_sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1 "
                "OR (revoked_at <> 0 AND revoked_at <= $1)",
                {now});
  }

 private:
  Result<core::SsoSession> One(const std::string& where, const std::vector<sql::Value>& params) {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, "SELECT " + std::string(kSessionCols) + " FROM sso_sessions WHERE " + where,
              params));
    if (rows.empty()) return NotFound("session not found");
    IDM_ASSIGN_OR_RETURN(auto s, SessionFromRow(rows, 0));
    IDM_ASSIGN_OR_RETURN(s.client_ids, ClientsOf(s.id));
    return s;
  }

  Result<std::vector<std::string>> ClientsOf(const std::string& id) {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT client_id FROM sso_session_clients WHERE "
                                          "session_id = $1 ORDER BY client_id",
                                          {id}));
    std::vector<std::string> out;
    for (size_t i = 0; i < rows.size(); ++i) out.push_back(rows.Text(i, 0));
    return out;
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<SessionRepo> NewSessionRepo(sql::Connection& c) {
  return std::make_unique<SqlSessionRepo>(c);
}

}  // namespace idm::store::repos
