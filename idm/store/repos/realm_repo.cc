// RealmRepo over portable SQL. Settings are one JSON TEXT column (the realm row is read per
// request but written rarely, and new settings must not need a migration).
#include "idm/core/json.h"
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kCols[] =
    "id, name, display_name, enabled, settings, created_at, updated_at, version";

std::string EncodeSettings(const core::RealmSettings& s) {
  const core::PasswordPolicy& p = s.password_policy;
  core::Json j = {
      {"access_token_ttl_s", s.access_token_ttl_s},
      {"id_token_ttl_s", s.id_token_ttl_s},
      {"refresh_token_ttl_s", s.refresh_token_ttl_s},
      {"refresh_token_max_ttl_s", s.refresh_token_max_ttl_s},
      {"sso_session_idle_s", s.sso_session_idle_s},
      {"sso_session_max_s", s.sso_session_max_s},
      {"authorization_code_ttl_s", s.authorization_code_ttl_s},
      {"default_signing_alg", s.default_signing_alg},
      {"offline_token_ttl_s", s.offline_token_ttl_s},
      {"offline_token_max_ttl_s", s.offline_token_max_ttl_s},
      {"login_flow_ttl_s", s.login_flow_ttl_s},
      {"brute_force_max_failures", s.brute_force_max_failures},
      {"brute_force_ip_max_failures", s.brute_force_ip_max_failures},
      {"brute_force_window_s", s.brute_force_window_s},
      {"brute_force_lockout_s", s.brute_force_lockout_s},
      {"brute_force_max_delay_ms", s.brute_force_max_delay_ms},
      {"key_rotation_interval_s", s.key_rotation_interval_s},
      {"client_registration", s.client_registration},
      {"mfa_policy", s.mfa_policy},
      {"mfa_enrollment_grace_s", s.mfa_enrollment_grace_s},
      {"password_policy",
       {{"min_length", p.min_length}, {"max_length", p.max_length},
        {"require_digit", p.require_digit}, {"require_upper", p.require_upper},
        {"require_lower", p.require_lower}, {"require_symbol", p.require_symbol},
        {"not_username", p.not_username}}}};
  return j.dump();
}

// Missing keys keep their defaults, so settings added later read sensibly from old rows.
template <class T>
void Read(const core::Json& j, const char* key, T& out) {
  if (j.contains(key)) out = j[key].get<T>();
}

Result<core::RealmSettings> DecodeSettings(const std::string& text) {
  auto j = core::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corrupt("stored realm settings are not JSON");
  core::RealmSettings s;
  try {
    Read(j, "access_token_ttl_s", s.access_token_ttl_s);
    Read(j, "id_token_ttl_s", s.id_token_ttl_s);
    Read(j, "refresh_token_ttl_s", s.refresh_token_ttl_s);
    Read(j, "refresh_token_max_ttl_s", s.refresh_token_max_ttl_s);
    Read(j, "sso_session_idle_s", s.sso_session_idle_s);
    Read(j, "sso_session_max_s", s.sso_session_max_s);
    Read(j, "authorization_code_ttl_s", s.authorization_code_ttl_s);
    Read(j, "default_signing_alg", s.default_signing_alg);
    Read(j, "offline_token_ttl_s", s.offline_token_ttl_s);
    Read(j, "offline_token_max_ttl_s", s.offline_token_max_ttl_s);
    Read(j, "login_flow_ttl_s", s.login_flow_ttl_s);
    Read(j, "brute_force_max_failures", s.brute_force_max_failures);
    Read(j, "brute_force_ip_max_failures", s.brute_force_ip_max_failures);
    Read(j, "brute_force_window_s", s.brute_force_window_s);
    Read(j, "brute_force_lockout_s", s.brute_force_lockout_s);
    Read(j, "brute_force_max_delay_ms", s.brute_force_max_delay_ms);
    Read(j, "key_rotation_interval_s", s.key_rotation_interval_s);
    Read(j, "client_registration", s.client_registration);
    Read(j, "mfa_policy", s.mfa_policy);
    Read(j, "mfa_enrollment_grace_s", s.mfa_enrollment_grace_s);
    if (j.contains("password_policy")) {
      const core::Json& p = j["password_policy"];
      core::PasswordPolicy& o = s.password_policy;
      Read(p, "min_length", o.min_length);
      Read(p, "max_length", o.max_length);
      Read(p, "require_digit", o.require_digit);
      Read(p, "require_upper", o.require_upper);
      Read(p, "require_lower", o.require_lower);
      Read(p, "require_symbol", o.require_symbol);
      Read(p, "not_username", o.not_username);
    }
  } catch (const core::Json::exception&) {
    return Corrupt("stored realm settings have a value of the wrong type");
  }
  return s;
}

Result<core::Realm> FromRow(const sql::Rows& r, size_t i) {
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
    return One("SELECT " + std::string(kCols) + " FROM realms WHERE id = $1", id);
  }

  Result<core::Realm> GetByName(const std::string& name) override {
    return One("SELECT " + std::string(kCols) + " FROM realms WHERE name = $1", name);
  }

  Result<std::vector<core::Realm>> List() override {
    IDM_ASSIGN_OR_RETURN(auto rows,
                         Query(c_, "SELECT " + std::string(kCols) + " FROM realms ORDER BY name",
                               {}));
    std::vector<core::Realm> out;
    for (size_t i = 0; i < rows.size(); ++i) {
      IDM_ASSIGN_OR_RETURN(auto realm, FromRow(rows, i));
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
    if (*n == 0) return NoRowUpdated(c_, "SELECT id FROM realms WHERE id = $1", {realm.id}, "realm");
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
    return FromRow(rows, 0);
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<RealmRepo> NewRealmRepo(sql::Connection& c) {
  return std::make_unique<SqlRealmRepo>(c);
}

}  // namespace idm::store::repos
