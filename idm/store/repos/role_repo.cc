// RoleRepo over portable SQL: realm and client roles, composite edges (role_composites) and
// grants to users (user_roles) and groups (group_roles). Each mapping table cascades from both
// ends, so deleting a role, user, group, client or realm removes its edges and grants.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kRoleCols[] =
    "r.id, r.realm_id, r.client_id, r.name, r.description, r.created_at, r.updated_at, "
    "r.version, r.require_mfa";

core::Role RoleFromRow(const sql::Rows& rows, size_t i) {
  core::Role r;
  r.id = rows.Text(i, 0);
  r.realm_id = rows.Text(i, 1);
  if (!rows.IsNull(i, 2)) r.client_id = rows.Text(i, 2);
  r.name = rows.Text(i, 3);
  r.description = rows.Text(i, 4);
  r.created_at = rows.Int(i, 5);
  r.updated_at = rows.Int(i, 6);
  r.version = rows.Int(i, 7);
  r.require_mfa = rows.Int(i, 8) != 0;  // migration 0007
  return r;
}

std::vector<core::Role> AllRoleFromRows(const sql::Rows& rows) {
  std::vector<core::Role> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(RoleFromRow(rows, i));
  return out;
}

// The mapping table and holder table of a grant.
struct GrantTables {
  const char* mapping;
  const char* holder_col;
  const char* holders;
};
GrantTables TablesFor(core::RoleHolderKind kind) {
  if (kind == core::RoleHolderKind::kGroup) return {"group_roles", "group_id", "groups"};
  return {"user_roles", "user_id", "users"};
}

class SqlRoleRepo final : public RoleRepo {
 public:
  explicit SqlRoleRepo(sql::Connection& c) : c_(c) {}

  Result<core::Role> Create(const core::Role& role) override {
    if (role.client_id) IDM_TRY(ClientExists(role.realm_id, *role.client_id));
    core::Role out = role;
    out.version = 1;
    auto r = Exec(c_,
                  "INSERT INTO roles (id, realm_id, client_id, client_key, name, name_lower, "
                  "description, created_at, updated_at, version, require_mfa) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                  {out.id, out.realm_id, OptText(out.client_id), out.client_id.value_or(""),
                   out.name, AsciiLower(out.name), out.description, out.created_at, out.updated_at,
                   out.version, Bool(out.require_mfa)});
    if (!r) return WithMessage(r.error(), "role name is taken, or the realm is absent");
    return out;
  }

  Result<core::Role> Get(const std::string& realm_id, const std::string& id) override {
    return One("r.realm_id = $1 AND r.id = $2", {realm_id, id});
  }

  Result<core::Role> GetByName(const std::string& realm_id,
                               const std::optional<std::string>& client_id,
                               const std::string& name) override {
    return One("r.realm_id = $1 AND r.client_key = $2 AND r.name = $3",
               {realm_id, client_id.value_or(""), name});
  }

  Result<Page<core::Role>> List(const std::string& realm_id,
                                const std::optional<std::string>& client_id,
                                const ListQuery& q) override {
    std::string prefix = AsciiLower(q.prefix);
    std::string tag = "roles/" + realm_id + "/" + client_id.value_or("") + "/" + prefix;
    IDM_ASSIGN_OR_RETURN(PageStart p, StartPage(q, tag));
    QueryBuilder b("SELECT " + std::string(kRoleCols) + " FROM roles r WHERE r.realm_id = ");
    b.Add(b.Param(realm_id)).Add(" AND r.client_key = ").Add(b.Param(client_id.value_or("")));
    AddPrefixFilter(b, prefix, {"r.name_lower"});
    AddPaging(b, p, "name");
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_, b));
    Page<core::Role> page;
    size_t n = std::min(rows.size(), static_cast<size_t>(p.limit));
    for (size_t i = 0; i < n; ++i) page.items.push_back(RoleFromRow(rows, i));
    if (rows.size() > n)
      page.next_cursor = MakeCursor(tag, page.items.back().name, page.items.back().id);
    return page;
  }

  Result<core::Role> Update(const core::Role& r) override {
    auto n = Exec(c_,
                  "UPDATE roles SET name = $1, name_lower = $2, description = $3, updated_at = $4, "
                  "require_mfa = $8, version = version + 1 "
                  "WHERE realm_id = $5 AND id = $6 AND version = $7",
                  {r.name, AsciiLower(r.name), r.description, r.updated_at, r.realm_id, r.id,
                   r.version, Bool(r.require_mfa)});
    if (!n) return WithMessage(n.error(), "role name is taken");
    if (*n == 0) {
      return NoRowUpdated(c_, "SELECT id FROM roles WHERE realm_id = $1 AND id = $2",
                          {r.realm_id, r.id}, "role");
    }
    return Get(r.realm_id, r.id);
  }

  Status Delete(const std::string& realm_id, const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_, "DELETE FROM roles WHERE realm_id = $1 AND id = $2", {realm_id, id}));
    if (n == 0) return NotFound("role not found");
    return {};
  }

  Status AddComposite(const std::string& realm_id, const std::string& parent_id,
                      const std::string& child_id) override {
    IDM_TRY(Get(realm_id, parent_id));
    IDM_TRY(Get(realm_id, child_id));
    IDM_TRY(Exec(c_,
                 "INSERT INTO role_composites (realm_id, parent_id, child_id) VALUES ($1, $2, $3) "
                 "ON CONFLICT (parent_id, child_id) DO NOTHING",
                 {realm_id, parent_id, child_id}));
    return {};
  }

  Status RemoveComposite(const std::string& realm_id, const std::string& parent_id,
                         const std::string& child_id) override {
    IDM_ASSIGN_OR_RETURN(int64_t n, Exec(c_,
                                         "DELETE FROM role_composites WHERE realm_id = $1 AND "
                                         "parent_id = $2 AND child_id = $3",
                                         {realm_id, parent_id, child_id}));
    if (n == 0) return NotFound("composite edge not found");
    return {};
  }

  Result<std::vector<core::Role>> ListComposites(const std::string& realm_id,
                                                 const std::string& parent_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kRoleCols) +
                                              " FROM role_composites e JOIN roles r ON r.id = "
                                              "e.child_id WHERE e.realm_id = $1 AND e.parent_id = "
                                              "$2 ORDER BY r.name, r.id",
                                          {realm_id, parent_id}));
    return AllRoleFromRows(rows);
  }

  Result<std::vector<std::pair<std::string, std::string>>> ListAllCompositeEdges(
      const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT parent_id, child_id FROM role_composites "
                                          "WHERE realm_id = $1 ORDER BY parent_id, child_id",
                                          {realm_id}));
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t i = 0; i < rows.size(); ++i) out.emplace_back(rows.Text(i, 0), rows.Text(i, 1));
    return out;
  }

  Status Grant(const std::string& realm_id, core::RoleHolderKind kind, const std::string& holder_id,
               const std::string& role_id) override {
    IDM_TRY(Get(realm_id, role_id));
    GrantTables t = TablesFor(kind);
    IDM_ASSIGN_OR_RETURN(
        auto holder,
        Query(c_, std::string("SELECT id FROM ") + t.holders + " WHERE realm_id = $1 AND id = $2",
              {realm_id, holder_id}));
    if (holder.empty()) return NotFound("role holder not found");
    IDM_TRY(Exec(c_,
                 std::string("INSERT INTO ") + t.mapping + " (" + t.holder_col +
                     ", role_id) VALUES ($1, $2) ON CONFLICT (" + t.holder_col +
                     ", role_id) DO NOTHING",
                 {holder_id, role_id}));
    return {};
  }

  Status Revoke(const std::string& realm_id, core::RoleHolderKind kind,
                const std::string& holder_id, const std::string& role_id) override {
    GrantTables t = TablesFor(kind);
    IDM_ASSIGN_OR_RETURN(int64_t n,
                         Exec(c_,
                              std::string("DELETE FROM ") + t.mapping + " WHERE " + t.holder_col +
                                  " = $1 AND role_id = $2 AND role_id "
                                  "IN (SELECT id FROM roles WHERE realm_id = $3)",
                              {holder_id, role_id, realm_id}));
    if (n == 0) return NotFound("role grant not found");
    return {};
  }

  Result<std::vector<core::Role>> ListGranted(const std::string& realm_id,
                                              core::RoleHolderKind kind,
                                              const std::string& holder_id) override {
    GrantTables t = TablesFor(kind);
    IDM_ASSIGN_OR_RETURN(auto rows,
                         Query(c_,
                               "SELECT " + std::string(kRoleCols) + " FROM " + t.mapping +
                                   " m JOIN roles r ON r.id = m.role_id WHERE m." + t.holder_col +
                                   " = $1 AND r.realm_id = $2 ORDER BY r.name, r.id",
                               {holder_id, realm_id}));
    return AllRoleFromRows(rows);
  }

 private:
  Result<core::Role> One(const std::string& where, const std::vector<sql::Value>& params) {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, "SELECT " + std::string(kRoleCols) + " FROM roles r WHERE " + where, params));
    if (rows.empty()) return NotFound("role not found");
    return RoleFromRow(rows, 0);
  }

  Status ClientExists(const std::string& realm_id, const std::string& client_id) {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, "SELECT id FROM clients WHERE realm_id = $1 AND id = $2", {realm_id, client_id}));
    if (rows.empty()) return NotFound("client not found");
    return {};
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<RoleRepo> NewRoleRepo(sql::Connection& c) {
  return std::make_unique<SqlRoleRepo>(c);
}

}  // namespace idm::store::repos
