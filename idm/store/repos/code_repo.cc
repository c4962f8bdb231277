// AuthorizationCodeRepo over portable SQL. Single use (RFC 6749 §4.1.2) is one conditional
// UPDATE ... WHERE consumed_at = 0 ... RETURNING: in PostgreSQL (READ COMMITTED) a concurrent
// second UPDATE waits for the first's row lock, re-checks the WHERE clause against the committed
// row and matches nothing; in SQLite the single writer serialises the transactions. Either way
// exactly one caller redeems the code. Only then is the row read again to tell the others why.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kCodeCols[] =
    "code_hash, realm_id, client_id, user_id, session_id, token_family_id, redirect_uri, scope, "
    "nonce, code_challenge, code_challenge_method, auth_time, acr, amr, claims_json, created_at, "
    "expires_at, consumed_at";

Result<core::AuthorizationCode> CodeFromRow(const sql::Rows& r, size_t i) {
  core::AuthorizationCode c;
  c.code_hash = r.Text(i, 0);
  c.realm_id = r.Text(i, 1);
  c.client_id = r.Text(i, 2);
  c.user_id = r.Text(i, 3);
  c.session_id = r.Text(i, 4);
  c.token_family_id = r.Text(i, 5);
  c.redirect_uri = r.Text(i, 6);
  c.scope = r.Text(i, 7);
  c.nonce = r.Text(i, 8);
  c.code_challenge = r.Text(i, 9);
  c.code_challenge_method = r.Text(i, 10);
  c.auth_time = r.Int(i, 11);
  c.acr = r.Text(i, 12);
  IDM_ASSIGN_OR_RETURN(c.amr, DecodeStrings(r.Text(i, 13)));
  c.claims_json = r.Text(i, 14);
  c.created_at = r.Int(i, 15);
  c.expires_at = r.Int(i, 16);
  c.consumed_at = r.Int(i, 17);
  return c;
}

class SqlAuthorizationCodeRepo final : public AuthorizationCodeRepo {
 public:
  explicit SqlAuthorizationCodeRepo(sql::Connection& c) : c_(c) {}

  Status Insert(const core::AuthorizationCode& c) override {
    auto r = Exec(
        c_,
        "INSERT INTO authorization_codes (code_hash, realm_id, client_id, user_id, "
        "session_id, token_family_id, redirect_uri, scope, nonce, code_challenge, "
        "code_challenge_method, auth_time, acr, amr, claims_json, created_at, "
        "expires_at, consumed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        "$11, $12, $13, $14, $15, $16, $17, $18)",
        {c.code_hash, c.realm_id, c.client_id, c.user_id, c.session_id, c.token_family_id,
         c.redirect_uri, c.scope, c.nonce, c.code_challenge, c.code_challenge_method, c.auth_time,
         c.acr, EncodeStrings(c.amr), c.claims_json, c.created_at, c.expires_at, c.consumed_at});
    if (!r) return WithMessage(r.error(), "code exists, or its realm, client or user is absent");
    return {};
  }

  Result<CodeConsumption> Consume(const std::string& code_hash, core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(auto won, Query(c_,
                                         "UPDATE authorization_codes SET consumed_at = $1 "
                                         "WHERE code_hash = $2 AND consumed_at = 0 AND "
                                         "expires_at > $1 RETURNING " +
                                             std::string(kCodeCols),
                                         {now, code_hash}));
    CodeConsumption out;
    if (!won.empty()) {
      IDM_ASSIGN_OR_RETURN(out.code, CodeFromRow(won, 0));
      out.outcome = CodeOutcome::kConsumed;
      return out;
    }
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kCodeCols) +
                                              " FROM authorization_codes WHERE code_hash = $1",
                                          {code_hash}));
    if (rows.empty()) return NotFound("authorization code not found");
    IDM_ASSIGN_OR_RETURN(out.code, CodeFromRow(rows, 0));
    // A replay is reported even when the code has also expired since: it is the stronger signal.
    out.outcome = out.code.consumed_at != 0 ? CodeOutcome::kAlreadyConsumed : CodeOutcome::kExpired;
    return out;
  }

  Result<int64_t> DeleteExpired(core::UnixMillis now) override {
    return Exec(c_, "DELETE FROM authorization_codes WHERE expires_at <= $1", {now});
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<AuthorizationCodeRepo> NewAuthorizationCodeRepo(sql::Connection& c) {
  return std::make_unique<SqlAuthorizationCodeRepo>(c);
}

}  // namespace idm::store::repos
