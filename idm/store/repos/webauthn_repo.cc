// WebAuthnRepo over portable SQL (migration 0005): a passkey is a credentials row (type
// "webauthn") joined with its webauthn_credentials row; see idm/store/webauthn_repo.h.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kSelect[] =
    "SELECT w.id, w.realm_id, w.user_id, c.name, w.credential_id, w.user_handle, w.public_key, "
    "w.alg, w.sign_count, w.aaguid, w.transports, w.discoverable, w.user_verified, "
    "w.attestation_fmt, c.created_at, c.last_used_at "
    "FROM webauthn_credentials w JOIN credentials c ON c.id = w.id ";

core::WebAuthnCredential WebauthnFromRow(const sql::Rows& r, size_t i) {
  core::WebAuthnCredential c;
  c.id = r.Text(i, 0);
  c.realm_id = r.Text(i, 1);
  c.user_id = r.Text(i, 2);
  c.name = r.Text(i, 3);
  c.credential_id = r.Text(i, 4);
  c.user_handle = r.Text(i, 5);
  c.public_key = r.Text(i, 6);
  c.alg = r.Int(i, 7);
  c.sign_count = r.Int(i, 8);
  c.aaguid = r.Text(i, 9);
  c.transports = r.Text(i, 10);
  c.discoverable = r.Int(i, 11) != 0;
  c.user_verified = r.Int(i, 12) != 0;
  c.attestation_fmt = r.Text(i, 13);
  c.created_at = r.Int(i, 14);
  c.last_used_at = r.Int(i, 15);
  return c;
}

core::WebAuthnChallenge ChallengeFromRow(const sql::Rows& r, size_t i) {
  core::WebAuthnChallenge c;
  c.realm_id = r.Text(i, 0);
  c.flow_id = r.Text(i, 1);
  c.purpose = r.Text(i, 2);
  c.challenge = r.Text(i, 3);
  c.user_id = r.Text(i, 4);
  c.created_at = r.Int(i, 5);
  c.expires_at = r.Int(i, 6);
  return c;
}

class SqlWebAuthnRepo final : public WebAuthnRepo {
 public:
  explicit SqlWebAuthnRepo(sql::Connection& c) : c_(c) {}

  Status Create(const core::WebAuthnCredential& w) override {
    auto base = Exec(c_,
                     "INSERT INTO credentials (id, realm_id, user_id, type, name, secret, "
                     "algorithm, digits, period, last_used_step, confirmed_at, created_at, "
                     "last_used_at) VALUES ($1, $2, $3, $4, $5, '', '', 0, 0, NULL, $6, $6, $7)",
                     {w.id, w.realm_id, w.user_id, std::string(core::kCredentialWebAuthn), w.name,
                      w.created_at, w.last_used_at});
    if (!base)
      return WithMessage(base.error(), "credential exists, or its realm or user is absent");
    auto r = Exec(c_,
                  "INSERT INTO webauthn_credentials (id, realm_id, user_id, credential_id, "
                  "user_handle, public_key, alg, sign_count, aaguid, transports, discoverable, "
                  "user_verified, attestation_fmt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                  "$10, $11, $12, $13)",
                  {w.id, w.realm_id, w.user_id, w.credential_id, w.user_handle, w.public_key,
                   Int(w.alg), Int(w.sign_count), w.aaguid, w.transports, Bool(w.discoverable),
                   Bool(w.user_verified), w.attestation_fmt});
    if (!r) return WithMessage(r.error(), "the credential ID is registered already");
    return {};
  }

  Result<core::WebAuthnCredential> GetByCredentialId(const std::string& realm_id,
                                                     const std::string& credential_id) override {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, std::string(kSelect) + "WHERE w.realm_id = $1 AND w.credential_id = $2",
              {realm_id, credential_id}));
    if (rows.empty()) return NotFound("passkey not found");
    return WebauthnFromRow(rows, 0);
  }

  Result<std::vector<core::WebAuthnCredential>> ListByUser(const std::string& realm_id,
                                                           const std::string& user_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows,
                         Query(c_,
                               std::string(kSelect) + "WHERE w.realm_id = $1 AND w.user_id = $2 "
                                                      "ORDER BY c.created_at, w.id",
                               {realm_id, user_id}));
    std::vector<core::WebAuthnCredential> out;
    for (size_t i = 0; i < rows.size(); ++i) out.push_back(WebauthnFromRow(rows, i));
    return out;
  }

  Result<std::optional<std::string>> UserByHandle(const std::string& realm_id,
                                                  const std::string& user_handle) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT user_id FROM webauthn_credentials WHERE "
                                          "realm_id = $1 AND user_handle = $2 LIMIT 1",
                                          {realm_id, user_handle}));
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows.Text(0, 0));
  }

  Result<bool> UpdateSignCount(const std::string& realm_id, const std::string& id,
                               int64_t old_count, int64_t new_count,
                               core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "UPDATE webauthn_credentials SET sign_count = $1 WHERE "
                                         "realm_id = $2 AND id = $3 AND sign_count = $4",
                                         {Int(new_count), realm_id, id, Int(old_count)}));
    if (n == 0) {
      IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                            "SELECT id FROM webauthn_credentials WHERE "
                                            "realm_id = $1 AND id = $2",
                                            {realm_id, id}));
      if (rows.empty()) return NotFound("passkey not found");
      return false;
    }
    IDM_TRY(Exec(c_, "UPDATE credentials SET last_used_at = $1 WHERE realm_id = $2 AND id = $3",
                 {now, realm_id, id}));
    return true;
  }

  Status PutChallenge(const core::WebAuthnChallenge& ch) override {
    IDM_TRY(Exec(c_, "DELETE FROM webauthn_challenges WHERE expires_at < $1", {ch.created_at}));
    IDM_TRY(Exec(c_,
                 "DELETE FROM webauthn_challenges WHERE realm_id = $1 AND flow_id = $2 AND "
                 "purpose = $3",
                 {ch.realm_id, ch.flow_id, ch.purpose}));
    auto r = Exec(c_,
                  "INSERT INTO webauthn_challenges (realm_id, flow_id, purpose, challenge, "
                  "user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  {ch.realm_id, ch.flow_id, ch.purpose, ch.challenge, ch.user_id, ch.created_at,
                   ch.expires_at});
    if (!r) return WithMessage(r.error(), "the realm is absent or the challenge exists");
    return {};
  }

  Result<std::optional<core::WebAuthnChallenge>> TakeChallenge(
      const std::string& realm_id, const std::string& challenge,
      const std::string& purpose) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "DELETE FROM webauthn_challenges WHERE realm_id = $1 "
                                          "AND challenge = $2 AND purpose = $3 RETURNING "
                                          "realm_id, flow_id, purpose, challenge, user_id, "
                                          "created_at, expires_at",
                                          {realm_id, challenge, purpose}));
    if (rows.empty()) return std::optional<core::WebAuthnChallenge>();
    return std::optional<core::WebAuthnChallenge>(ChallengeFromRow(rows, 0));
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<WebAuthnRepo> NewWebAuthnRepo(sql::Connection& c) {
  return std::make_unique<SqlWebAuthnRepo>(c);
}

}  // namespace idm::store::repos
