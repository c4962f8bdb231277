// ConsentRepo over portable SQL: one row per (user, client), scopes as a sorted JSON array.
#include <algorithm>

#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kConsentCols[] = "realm_id, user_id, client_id, scopes, created_at, updated_at";

Result<core::Consent> ConsentFromRow(const sql::Rows& r, size_t i) {
  core::Consent c;
  c.realm_id = r.Text(i, 0);
  c.user_id = r.Text(i, 1);
  c.client_id = r.Text(i, 2);
  IDM_ASSIGN_OR_RETURN(c.scopes, DecodeStrings(r.Text(i, 3)));
  c.created_at = r.Int(i, 4);
  c.updated_at = r.Int(i, 5);
  return c;
}

std::vector<std::string> SortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

class SqlConsentRepo final : public ConsentRepo {
 public:
  explicit SqlConsentRepo(sql::Connection& c) : c_(c) {}

  Result<core::Consent> Upsert(const core::Consent& c) override {
    auto rows = Query(c_,
                      "INSERT INTO consents (realm_id, user_id, client_id, scopes, created_at, "
                      "updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
                      "ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, "
                      "updated_at = excluded.updated_at RETURNING " +
                          std::string(kConsentCols),
                      {c.realm_id, c.user_id, c.client_id, EncodeStrings(SortedUnique(c.scopes)),
                       c.created_at, c.updated_at});
    if (!rows) return WithMessage(rows.error(), "the consent's realm, user or client is absent");
    if (rows->empty()) return Corrupt("consent upsert returned no row");
    return ConsentFromRow(*rows, 0);
  }

  Result<core::Consent> Get(const std::string& realm_id, const std::string& user_id,
                            const std::string& client_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kConsentCols) +
                                              " FROM consents WHERE realm_id = $1 AND "
                                              "user_id = $2 AND client_id = $3",
                                          {realm_id, user_id, client_id}));
    if (rows.empty()) return NotFound("consent not found");
    return ConsentFromRow(rows, 0);
  }

  Status Delete(const std::string& realm_id, const std::string& user_id,
                const std::string& client_id) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "DELETE FROM consents WHERE realm_id = $1 AND "
                                         "user_id = $2 AND client_id = $3",
                                         {realm_id, user_id, client_id}));
    if (n == 0) return NotFound("consent not found");
    return {};
  }

  Result<std::vector<core::Consent>> ListByUser(const std::string& realm_id,
                                                const std::string& user_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kConsentCols) +
                                              " FROM consents WHERE realm_id = $1 AND "
                                              "user_id = $2",
                                          {realm_id, user_id}));
    std::vector<core::Consent> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      IDM_ASSIGN_OR_RETURN(auto c, ConsentFromRow(rows, i));
      out.push_back(std::move(c));
    }
    // Bytewise order on both backends, whatever the database collation.
    std::sort(out.begin(), out.end(), [](const core::Consent& a, const core::Consent& b) {
      return a.client_id < b.client_id;
    });
    return out;
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<ConsentRepo> NewConsentRepo(sql::Connection& c) {
  return std::make_unique<SqlConsentRepo>(c);
}

}  // namespace idm::store::repos
