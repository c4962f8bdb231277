// KeyRepo over portable SQL. The sealed private key is binary (AES-256-GCM output), so it is kept
// as base64 in a TEXT column: PostgreSQL TEXT cannot hold arbitrary bytes.
#include "idm/crypto/encoding.h"
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kKeyCols[] =
    "kid, realm_id, alg, status, private_key_sealed, public_jwk, created_at, activated_at, "
    "retired_at, expires_at";

Result<core::SigningKey> KeyFromRow(const sql::Rows& r, size_t i) {
  core::SigningKey k;
  k.kid = r.Text(i, 0);
  k.realm_id = r.Text(i, 1);
  k.alg = r.Text(i, 2);
  int64_t status = r.Int(i, 3);
  if (status < static_cast<int64_t>(core::KeyStatus::kNext) ||
      status > static_cast<int64_t>(core::KeyStatus::kRetired)) {
    return Corrupt("stored key status is unknown");
  }
  k.status = static_cast<core::KeyStatus>(status);
  auto sealed = crypto::Base64Decode(r.Text(i, 4));
  if (!sealed) return Corrupt("stored sealed key is not base64");
  k.private_key_sealed = std::move(*sealed);
  k.public_jwk = r.Text(i, 5);
  k.created_at = r.Int(i, 6);
  k.activated_at = r.Int(i, 7);
  k.retired_at = r.Int(i, 8);
  k.expires_at = r.Int(i, 9);
  return k;
}

class SqlKeyRepo final : public KeyRepo {
 public:
  explicit SqlKeyRepo(sql::Connection& c) : c_(c) {}

  Status Insert(const core::SigningKey& k) override {
    auto r = Exec(c_,
                  "INSERT INTO signing_keys (kid, realm_id, alg, status, private_key_sealed, "
                  "public_jwk, created_at, activated_at, retired_at, expires_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                  {k.kid, k.realm_id, k.alg, Int(static_cast<int64_t>(k.status)),
                   crypto::Base64Encode(k.private_key_sealed), k.public_jwk, k.created_at,
                   k.activated_at, k.retired_at, k.expires_at});
    if (!r) return WithMessage(r.error(), "key id is taken, or the realm is absent");
    return {};
  }

  Result<std::vector<core::SigningKey>> List(const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kKeyCols) +
                                              " FROM signing_keys WHERE realm_id = $1 "
                                              "ORDER BY created_at DESC, kid DESC",
                                          {realm_id}));
    std::vector<core::SigningKey> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      IDM_ASSIGN_OR_RETURN(auto k, KeyFromRow(rows, i));
      out.push_back(std::move(k));
    }
    return out;
  }

  Status Update(const core::SigningKey& k) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "UPDATE signing_keys SET status = $1, activated_at = $2, "
                                         "retired_at = $3, expires_at = $4 "
                                         "WHERE realm_id = $5 AND kid = $6",
                                         {Int(static_cast<int64_t>(k.status)), k.activated_at,
                                          k.retired_at, k.expires_at, k.realm_id, k.kid}));
    if (n == 0) return NotFound("key not found");
    return {};
  }

  Status UpdateIfStatus(const core::SigningKey& k, core::KeyStatus expected) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_,
                        "UPDATE signing_keys SET status = $1, activated_at = $2, retired_at = $3, "
                        "expires_at = $4 WHERE realm_id = $5 AND kid = $6 AND status = $7",
                        {Int(static_cast<int64_t>(k.status)), k.activated_at, k.retired_at,
                         k.expires_at, k.realm_id, k.kid, Int(static_cast<int64_t>(expected))}));
    if (n > 0) return {};
    return NoRowUpdated(c_, "SELECT kid FROM signing_keys WHERE realm_id = $1 AND kid = $2",
                        {k.realm_id, k.kid}, "key");
  }

  Status Delete(const std::string& realm_id, const std::string& kid) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n,
        Exec(c_, "DELETE FROM signing_keys WHERE realm_id = $1 AND kid = $2", {realm_id, kid}));
    if (n == 0) return NotFound("key not found");
    return {};
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<KeyRepo> NewKeyRepo(sql::Connection& c) { return std::make_unique<SqlKeyRepo>(c); }

}  // namespace idm::store::repos
