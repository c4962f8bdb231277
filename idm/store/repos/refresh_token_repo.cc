// RefreshTokenRepo over portable SQL. Rotation (RFC 9700 §4.14.2) is one conditional
// UPDATE ... WHERE rotated_at = 0 AND revoked_at = 0 ... RETURNING followed by the INSERT of the
// successor in the same transaction. As for authorization codes (code_repo.cc), PostgreSQL's row
// lock and re-check under READ COMMITTED, or SQLite's single writer, let exactly one of
// concurrent rotations of a token win; the others read the row and report why they lost.
#include <algorithm>

#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kRefreshTokenCols[] =
    "id, token_hash, family_id, realm_id, client_id, user_id, session_id, scope, offline, "
    "created_at, expires_at, family_expires_at, rotated_at, replaced_by, revoked_at, auth_time, "
    "acr, amr";

Result<core::RefreshToken> RefreshTokenFromRow(const sql::Rows& r, size_t i) {
  core::RefreshToken t;
  t.id = r.Text(i, 0);
  t.token_hash = r.Text(i, 1);
  t.family_id = r.Text(i, 2);
  t.realm_id = r.Text(i, 3);
  t.client_id = r.Text(i, 4);
  t.user_id = r.Text(i, 5);  // NULL reads as ""
  t.session_id = r.Text(i, 6);
  t.scope = r.Text(i, 7);
  t.offline = r.Int(i, 8) != 0;
  t.created_at = r.Int(i, 9);
  t.expires_at = r.Int(i, 10);
  t.family_expires_at = r.Int(i, 11);
  t.rotated_at = r.Int(i, 12);
  t.replaced_by = r.Text(i, 13);
  t.revoked_at = r.Int(i, 14);
  t.auth_time = r.Int(i, 15);
  t.acr = r.Text(i, 16);
  IDM_ASSIGN_OR_RETURN(t.amr, DecodeStrings(r.Text(i, 17)));
  return t;
}

RotateOutcome WhyNotRotated(const core::RefreshToken& t) {
  if (t.rotated_at != 0) return RotateOutcome::kAlreadyRotated;  // reuse: the strongest signal
  if (t.revoked_at != 0) return RotateOutcome::kRevoked;
  return RotateOutcome::kExpired;
}

class SqlRefreshTokenRepo final : public RefreshTokenRepo {
 public:
  explicit SqlRefreshTokenRepo(sql::Connection& c) : c_(c) {}

  Status Insert(const core::RefreshToken& t) override {
    sql::Value user = t.user_id.empty() ? sql::Value(nullptr) : sql::Value(t.user_id);
    auto r =
        Exec(c_,
             "INSERT INTO refresh_tokens (id, token_hash, family_id, realm_id, client_id, "
             "user_id, session_id, scope, offline, created_at, expires_at, "
             "family_expires_at, rotated_at, replaced_by, revoked_at, auth_time, acr, amr) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
             "$16, $17, $18)",
             {t.id, t.token_hash, t.family_id, t.realm_id, t.client_id, user, t.session_id, t.scope,
              Bool(t.offline), t.created_at, t.expires_at, t.family_expires_at, t.rotated_at,
              t.replaced_by, t.revoked_at, t.auth_time, t.acr, EncodeStrings(t.amr)});
    if (!r) return WithMessage(r.error(), "token exists, or its realm, client or user is absent");
    return {};
  }

  Result<core::RefreshToken> GetByHash(const std::string& token_hash) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kRefreshTokenCols) +
                                              " FROM refresh_tokens WHERE token_hash = $1",
                                          {token_hash}));
    if (rows.empty()) return NotFound("refresh token not found");
    return RefreshTokenFromRow(rows, 0);
  }

  // The successor keeps the family's absolute expiry and never outlives it.
  Result<Rotation> Rotate(const std::string& old_hash, const core::RefreshToken& next,
                          core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(auto won, Query(c_,
                                         "UPDATE refresh_tokens SET rotated_at = $1, "
                                         "replaced_by = $2 WHERE token_hash = $3 AND "
                                         "family_id = $4 AND rotated_at = 0 AND revoked_at = 0 "
                                         "AND expires_at > $1 AND family_expires_at > $1 "
                                         "RETURNING " +
                                             std::string(kRefreshTokenCols),
                                         {now, next.id, old_hash, next.family_id}));
    Rotation out;
    if (won.empty()) {
      IDM_ASSIGN_OR_RETURN(out.old_token, GetByHash(old_hash));
      if (out.old_token.family_id != next.family_id) {
        return Invalid("the new refresh token is not of the old one's family");
      }
      out.outcome = WhyNotRotated(out.old_token);
      return out;
    }
    IDM_ASSIGN_OR_RETURN(out.old_token, RefreshTokenFromRow(won, 0));
    out.outcome = RotateOutcome::kRotated;
    core::RefreshToken stored = next;
    stored.family_expires_at = out.old_token.family_expires_at;
    stored.expires_at = std::min(next.expires_at, stored.family_expires_at);
    IDM_TRY(Insert(stored));
    return out;
  }

  Result<int64_t> RevokeFamily(const std::string& family_id, core::UnixMillis now) override {
    return Exec(c_,
                "UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND "
                "revoked_at = 0",
                {now, family_id});
  }

  Result<int64_t> RevokeBySession(const std::string& session_id, core::UnixMillis now) override {
    if (session_id.empty()) return int64_t{0};  // "" is "no session", not a session
    return Exec(c_,
                "UPDATE refresh_tokens SET revoked_at = $1 WHERE session_id = $2 AND "
                "offline = 0 AND revoked_at = 0",
                {now, session_id});
  }

  Result<int64_t> RevokeByUserClient(const std::string& realm_id, const std::string& user_id,
                                     const std::string& client_id, core::UnixMillis now) override {
    return Exec(c_,
                "UPDATE refresh_tokens SET revoked_at = $1 WHERE realm_id = $2 AND user_id = $3 "
                "AND client_id = $4 AND revoked_at = 0",
                {now, realm_id, user_id, client_id});
  }

  Result<int64_t> DeleteExpired(core::UnixMillis now) override {
    return Exec(c_, "DELETE FROM refresh_tokens WHERE expires_at <= $1 OR family_expires_at <= $1",
                {now});
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<RefreshTokenRepo> NewRefreshTokenRepo(sql::Connection& c) {
  return std::make_unique<SqlRefreshTokenRepo>(c);
}

}  // namespace idm::store::repos
