// RegistrationRepo over portable SQL (migration 0003). ConsumeInitialAccessToken is one
// conditional UPDATE: PostgreSQL makes a concurrent second UPDATE of the same row wait and then
// re-check the WHERE against the new row, SQLite's single writer serialises them, so a token's
// last use goes to exactly one registration. ReplaceClientRegistrationToken works the same way.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kIatCols[] =
    "id, realm_id, token_hash, description, created_at, expires_at, max_uses, uses, created_by";

core::InitialAccessToken IatFromRow(const sql::Rows& r, size_t i) {
  core::InitialAccessToken t;
  t.id = r.Text(i, 0);
  t.realm_id = r.Text(i, 1);
  t.token_hash = r.Text(i, 2);
  t.description = r.Text(i, 3);
  t.created_at = r.Int(i, 4);
  t.expires_at = r.Int(i, 5);
  t.max_uses = r.Int(i, 6);
  t.uses = r.Int(i, 7);
  t.created_by = r.Text(i, 8);
  return t;
}

class SqlRegistrationRepo final : public RegistrationRepo {
 public:
  explicit SqlRegistrationRepo(sql::Connection& c) : c_(c) {}

  Status InsertInitialAccessToken(const core::InitialAccessToken& t) override {
    auto r = Exec(c_,
                  "INSERT INTO initial_access_tokens (id, realm_id, token_hash, description, "
                  "created_at, expires_at, max_uses, uses, created_by) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                  {t.id, t.realm_id, t.token_hash, t.description, t.created_at, t.expires_at,
                   Int(t.max_uses), Int(t.uses), t.created_by});
    if (!r) return WithMessage(r.error(), "initial access token exists, or the realm is absent");
    return {};
  }

  Result<std::vector<core::InitialAccessToken>> ListInitialAccessTokens(
      const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kIatCols) +
                                              " FROM initial_access_tokens WHERE realm_id = $1 "
                                              "ORDER BY created_at DESC, id DESC",
                                          {realm_id}));
    std::vector<core::InitialAccessToken> out;
    for (size_t i = 0; i < rows.size(); ++i) out.push_back(IatFromRow(rows, i));
    return out;
  }

  Status DeleteInitialAccessToken(const std::string& realm_id, const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_, "DELETE FROM initial_access_tokens WHERE realm_id = $1 AND id = $2",
                        {realm_id, id}));
    if (n == 0) return NotFound("initial access token not found");
    return {};
  }

  Result<core::InitialAccessToken> ConsumeInitialAccessToken(const std::string& realm_id,
                                                             const std::string& token_hash,
                                                             core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_,
                        "UPDATE initial_access_tokens SET uses = uses + 1 WHERE realm_id = $1 AND "
                        "token_hash = $2 AND expires_at > $3 AND (max_uses = 0 OR uses < max_uses)",
                        {realm_id, token_hash, now}));
    if (n == 0) return NotFound("initial access token is unknown, expired or used up");
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kIatCols) +
                                              " FROM initial_access_tokens WHERE realm_id = $1 "
                                              "AND token_hash = $2",
                                          {realm_id, token_hash}));
    if (rows.empty()) return NotFound("initial access token not found");
    return IatFromRow(rows, 0);
  }

  Status PutClientRegistration(const core::ClientRegistration& g) override {
    auto r = Exec(c_,
                  "INSERT INTO client_registrations AS g (client_id, realm_id, token_hash, "
                  "created_at, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) "
                  "DO UPDATE SET token_hash = excluded.token_hash, updated_at = "
                  "excluded.updated_at",
                  {g.client_id, g.realm_id, g.token_hash, g.created_at, g.updated_at});
    if (!r) return WithMessage(r.error(), "the client or realm is absent");
    return {};
  }

  Result<core::ClientRegistration> GetClientRegistration(const std::string& realm_id,
                                                         const std::string& client_id) override {
    IDM_ASSIGN_OR_RETURN(
        auto rows, Query(c_,
                         "SELECT client_id, realm_id, token_hash, created_at, updated_at FROM "
                         "client_registrations WHERE realm_id = $1 AND client_id = $2",
                         {realm_id, client_id}));
    if (rows.empty()) return NotFound("client was not registered dynamically");
    core::ClientRegistration g;
    g.client_id = rows.Text(0, 0);
    g.realm_id = rows.Text(0, 1);
    g.token_hash = rows.Text(0, 2);
    g.created_at = rows.Int(0, 3);
    g.updated_at = rows.Int(0, 4);
    return g;
  }

  Status ReplaceClientRegistrationToken(const std::string& realm_id, const std::string& client_id,
                                        const std::string& old_hash, const std::string& new_hash,
                                        core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_,
                        "UPDATE client_registrations SET token_hash = $1, updated_at = $2 WHERE "
                        "realm_id = $3 AND client_id = $4 AND token_hash = $5",
                        {new_hash, now, realm_id, client_id, old_hash}));
    if (n > 0) return {};
    return NoRowUpdated(c_,
                        "SELECT client_id FROM client_registrations WHERE realm_id = $1 AND "
                        "client_id = $2",
                        {realm_id, client_id}, "client registration");
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<RegistrationRepo> NewRegistrationRepo(sql::Connection& c) {
  return std::make_unique<SqlRegistrationRepo>(c);
}

}  // namespace idm::store::repos
