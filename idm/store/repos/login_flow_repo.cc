// LoginFlowRepo over portable SQL. Updates are optimistic (version), so two nodes that receive
// the same form post at once cannot both move a flow on: the second sees kVersionMismatch.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kLoginFlowCols[] =
    "id, realm_id, client_id, state, request_json, user_id, csrf_secret, amr, created_at, "
    "updated_at, expires_at, version";

Result<core::LoginFlow> LoginFlowFromRow(const sql::Rows& r, size_t i) {
  core::LoginFlow f;
  f.id = r.Text(i, 0);
  f.realm_id = r.Text(i, 1);
  f.client_id = r.Text(i, 2);
  int64_t state = r.Int(i, 3);
  if (state < static_cast<int64_t>(core::LoginFlowState::kStarted) ||
      state > static_cast<int64_t>(core::LoginFlowState::kFailed)) {
    return Corrupt("stored login flow state is unknown");
  }
  f.state = static_cast<core::LoginFlowState>(state);
  f.request_json = r.Text(i, 4);
  f.user_id = r.Text(i, 5);  // NULL reads as ""
  f.csrf_secret = r.Text(i, 6);
  IDM_ASSIGN_OR_RETURN(f.amr, DecodeStrings(r.Text(i, 7)));
  f.created_at = r.Int(i, 8);
  f.updated_at = r.Int(i, 9);
  f.expires_at = r.Int(i, 10);
  f.version = r.Int(i, 11);
  return f;
}

// "" (no user yet) is NULL, so the foreign key to users does not apply.
sql::Value UserOrNull(const std::string& user_id) {
  if (user_id.empty()) return nullptr;
  return user_id;
}

class SqlLoginFlowRepo final : public LoginFlowRepo {
 public:
  explicit SqlLoginFlowRepo(sql::Connection& c) : c_(c) {}

  Result<core::LoginFlow> Create(const core::LoginFlow& flow) override {
    core::LoginFlow out = flow;
    out.version = 1;
    auto r =
        Exec(c_,
             "INSERT INTO login_flows (id, realm_id, client_id, state, request_json, "
             "user_id, csrf_secret, amr, created_at, updated_at, expires_at, version) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
             {out.id, out.realm_id, out.client_id, Int(static_cast<int64_t>(out.state)),
              out.request_json, UserOrNull(out.user_id), out.csrf_secret, EncodeStrings(out.amr),
              out.created_at, out.updated_at, out.expires_at, out.version});
    if (!r) return WithMessage(r.error(), "flow exists, or its realm, client or user is absent");
    return out;
  }

  Result<core::LoginFlow> Get(const std::string& realm_id, const std::string& id,
                              core::UnixMillis now) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kLoginFlowCols) +
                                              " FROM login_flows WHERE realm_id = $1 AND id = $2 "
                                              "AND expires_at > $3",
                                          {realm_id, id, now}));
    if (rows.empty()) return NotFound("login flow not found or expired");
    return LoginFlowFromRow(rows, 0);
  }

  Result<core::LoginFlow> Update(const core::LoginFlow& f) override {
    auto n = Exec(
        c_,
        "UPDATE login_flows SET state = $1, request_json = $2, user_id = $3, "
        "csrf_secret = $4, amr = $5, updated_at = $6, expires_at = $7, "
        "version = version + 1 WHERE realm_id = $8 AND id = $9 AND version = $10",
        {Int(static_cast<int64_t>(f.state)), f.request_json, UserOrNull(f.user_id), f.csrf_secret,
         EncodeStrings(f.amr), f.updated_at, f.expires_at, f.realm_id, f.id, f.version});
    if (!n) return WithMessage(n.error(), "the flow's user is absent");
    if (*n == 0) {
      return NoRowUpdated(c_, "SELECT id FROM login_flows WHERE realm_id = $1 AND id = $2",
                          {f.realm_id, f.id}, "login flow");
    }
    core::LoginFlow out = f;
    out.version = f.version + 1;
    return out;
  }

  Status Delete(const std::string& realm_id, const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n,
        Exec(c_, "DELETE FROM login_flows WHERE realm_id = $1 AND id = $2", {realm_id, id}));
    if (n == 0) return NotFound("login flow not found");
    return {};
  }

  Result<int64_t> DeleteExpired(core::UnixMillis now) override {
    return Exec(c_, "DELETE FROM login_flows WHERE expires_at <= $1", {now});
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<LoginFlowRepo> NewLoginFlowRepo(sql::Connection& c) {
  return std::make_unique<SqlLoginFlowRepo>(c);
}

}  // namespace idm::store::repos
