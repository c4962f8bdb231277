// RealmRepo over portable SQL. Settings are one JSON TEXT column (the realm row is read per
// request but written rarely, and new settings must not need a migration).
#include "idm/core/json.h"
#include "idm/core/realm_settings_json.h"
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kRealmCols[] =
    "id, name, display_name, enabled, settings, created_at, updated_at, version";

std::string EncodeSettings(const core::RealmSettings& s) {
  return core::RealmSettingsToJson(s).dump();
}

Result<core::RealmSettings> DecodeSettings(const std::string& text) {
  auto j = core::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corrupt("stored realm settings are not JSON");
  core::RealmSettings s;
  try {
    core::ReadRealmSettings(j, s);  // missing keys keep their defaults (settings added later)
  } catch (const core::Json::exception&) {
    return Corrupt("stored realm settings have a value of the wrong type");
  }
  return s;
}

Result<core::Realm> RealmFromRow(const sql::Rows& r, size_t i) {
  core::Realm realm;
  realm.id = r.Text(i, 0);
  realm.name = r.Text(i, 1);
  realm.display_name = r.Text(i, 2);
  realm.enabled = r.Int(i, 3) != 0;
  IDM_ASSIGN_OR_RETURN(realm.settings, DecodeSettings(r.Text(i, 4)));
  realm.created_at = r.Int(i, 5);
  realm.updated_at = r.Int(i, 6);
  realm.version = r.Int(i, 7);
  return realm;
}

class SqlRealmRepo final : public RealmRepo {
 public:
  explicit SqlRealmRepo(sql::Connection& c) : c_(c) {}

  Result<core::Realm> Create(const core::Realm& realm) override {
    core::Realm out = realm;
    out.version = 1;
    auto r = Exec(c_,
                  "INSERT INTO realms (id, name, display_name, enabled, settings, created_at, "
                  "updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                  {out.id, out.name, out.display_name, Bool(out.enabled),
                   EncodeSettings(out.settings), out.created_at, out.updated_at, out.version});
    if (!r) return WithMessage(r.error(), "realm name or id is taken");
    return out;
  }

  Result<core::Realm> Get(const std::string& id) override {
    return One("SELECT " + std::string(kRealmCols) + " FROM realms WHERE id = $1", id);
  }

  Result<core::Realm> GetByName(const std::string& name) override {
    return One("SELECT " + std::string(kRealmCols) + " FROM realms WHERE name = $1", name);
  }

  Result<std::vector<core::Realm>> List() override {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, "SELECT " + std::string(kRealmCols) + " FROM realms ORDER BY name", {}));
    std::vector<core::Realm> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      IDM_ASSIGN_OR_RETURN(auto realm, RealmFromRow(rows, i));
      out.push_back(std::move(realm));
    }
    return out;
  }

  Result<core::Realm> Update(const core::Realm& realm) override {
    auto n = Exec(c_,
                  "UPDATE realms SET name = $1, display_name = $2, enabled = $3, settings = $4, "
                  "updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
                  {realm.name, realm.display_name, Bool(realm.enabled),
                   EncodeSettings(realm.settings), realm.updated_at, realm.id, realm.version});
    if (!n) return WithMessage(n.error(), "realm name is taken");
    if (*n == 0)
      return NoRowUpdated(c_, "SELECT id FROM realms WHERE id = $1", {realm.id}, "realm");
    return Get(realm.id);
  }

  Status Delete(const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_, "DELETE FROM realms WHERE id = $1", {id}));
    if (n == 0) return NotFound("realm not found");
    return {};
  }

 private:
  Result<core::Realm> One(const std::string& sql, const std::string& arg) {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_, sql, {arg}));
    if (rows.empty()) return NotFound("realm not found");
    return RealmFromRow(rows, 0);
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<RealmRepo> NewRealmRepo(sql::Connection& c) {
  return std::make_unique<SqlRealmRepo>(c);
}

}  // namespace idm::store::repos
