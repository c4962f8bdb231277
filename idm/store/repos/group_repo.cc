// GroupRepo over portable SQL. Sibling names are unique case-insensitively through
// (realm_id, parent_key, name_lower), where parent_key is parent_id or '' at the top level
// (a unique index never treats NULLs as equal). Deleting a group cascades to its descendants
// (groups.parent_id ON DELETE CASCADE), memberships and role grants.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"
#include "idm/store/repos/user_rows.h"

namespace idm::store::repos {
namespace {

constexpr char kGroupCols[] =
    "id, realm_id, parent_id, name, attributes, created_at, updated_at, version, name_lower";

Result<core::Group> GroupFromRow(const sql::Rows& r, size_t i) {
  core::Group g;
  g.id = r.Text(i, 0);
  g.realm_id = r.Text(i, 1);
  if (!r.IsNull(i, 2)) g.parent_id = r.Text(i, 2);
  g.name = r.Text(i, 3);
  IDM_ASSIGN_OR_RETURN(g.attributes, DecodeAttributes(r.Text(i, 4)));
  g.created_at = r.Int(i, 5);
  g.updated_at = r.Int(i, 6);
  g.version = r.Int(i, 7);
  return g;
}

Result<std::vector<core::Group>> AllGroupFromRows(const sql::Rows& rows) {
  std::vector<core::Group> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    IDM_ASSIGN_OR_RETURN(auto g, GroupFromRow(rows, i));
    out.push_back(std::move(g));
  }
  return out;
}

class SqlGroupRepo final : public GroupRepo {
 public:
  explicit SqlGroupRepo(sql::Connection& c) : c_(c) {}

  Result<core::Group> Create(const core::Group& group) override {
    if (group.parent_id) IDM_TRY(Get(group.realm_id, *group.parent_id));
    core::Group out = group;
    out.version = 1;
    auto r = Exec(c_,
                  "INSERT INTO groups (id, realm_id, parent_id, parent_key, name, name_lower, "
                  "attributes, created_at, updated_at, version) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                  {out.id, out.realm_id, OptText(out.parent_id), out.parent_id.value_or(""),
                   out.name, AsciiLower(out.name), EncodeAttributes(out.attributes), out.created_at,
                   out.updated_at, out.version});
    if (!r) return WithMessage(r.error(), "a sibling group has this name, or the realm is absent");
    return out;
  }

  Result<core::Group> Get(const std::string& realm_id, const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kGroupCols) +
                                              " FROM groups WHERE realm_id = $1 AND id = $2",
                                          {realm_id, id}));
    if (rows.empty()) return NotFound("group not found");
    return GroupFromRow(rows, 0);
  }

  Result<Page<core::Group>> List(const std::string& realm_id,
                                 const std::optional<std::string>& parent_id,
                                 const ListQuery& q) override {
    std::string prefix = AsciiLower(q.prefix);
    std::string tag = "groups/" + realm_id + "/" + parent_id.value_or("") + "/" + prefix;
    IDM_ASSIGN_OR_RETURN(PageStart p, StartPage(q, tag));
    QueryBuilder b("SELECT " + std::string(kGroupCols) + " FROM groups WHERE realm_id = ");
    b.Add(b.Param(realm_id)).Add(" AND parent_key = ").Add(b.Param(parent_id.value_or("")));
    AddPrefixFilter(b, prefix, {"name_lower"});
    AddPaging(b, p, "name_lower");
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_, b));
    Page<core::Group> page;
    size_t n = std::min(rows.size(), static_cast<size_t>(p.limit));
    for (size_t i = 0; i < n; ++i) {
      IDM_ASSIGN_OR_RETURN(auto g, GroupFromRow(rows, i));
      page.items.push_back(std::move(g));
    }
    if (rows.size() > n)
      page.next_cursor = MakeCursor(tag, rows.Text(n - 1, 8), rows.Text(n - 1, 0));
    return page;
  }

  Result<std::vector<core::Group>> ListAll(const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kGroupCols) +
                                              " FROM groups WHERE realm_id = $1 "
                                              "ORDER BY name_lower, id",
                                          {realm_id}));
    return AllGroupFromRows(rows);
  }

  Result<core::Group> Update(const core::Group& g) override {
    if (g.parent_id) IDM_TRY(Get(g.realm_id, *g.parent_id));
    auto n = Exec(c_,
                  "UPDATE groups SET parent_id = $1, parent_key = $2, name = $3, name_lower = $4, "
                  "attributes = $5, updated_at = $6, version = version + 1 "
                  "WHERE realm_id = $7 AND id = $8 AND version = $9",
                  {OptText(g.parent_id), g.parent_id.value_or(""), g.name, AsciiLower(g.name),
                   EncodeAttributes(g.attributes), g.updated_at, g.realm_id, g.id, g.version});
    if (!n) return WithMessage(n.error(), "a sibling group has this name");
    if (*n == 0) {
      return NoRowUpdated(c_, "SELECT id FROM groups WHERE realm_id = $1 AND id = $2",
                          {g.realm_id, g.id}, "group");
    }
    return Get(g.realm_id, g.id);
  }

  Status Delete(const std::string& realm_id, const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_, "DELETE FROM groups WHERE realm_id = $1 AND id = $2", {realm_id, id}));
    if (n == 0) return NotFound("group not found");
    return {};
  }

  Status AddMember(const std::string& realm_id, const std::string& group_id,
                   const std::string& user_id) override {
    IDM_TRY(Get(realm_id, group_id));
    IDM_TRY(UserExists(realm_id, user_id));
    IDM_TRY(Exec(c_,
                 "INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) "
                 "ON CONFLICT (group_id, user_id) DO NOTHING",
                 {group_id, user_id}));
    return {};
  }

  Status RemoveMember(const std::string& realm_id, const std::string& group_id,
                      const std::string& user_id) override {
    IDM_ASSIGN_OR_RETURN(int64_t n,
                         Exec(c_,
                              "DELETE FROM group_members WHERE group_id = $1 AND user_id = $2 "
                              "AND group_id IN (SELECT id FROM groups WHERE realm_id = $3)",
                              {group_id, user_id, realm_id}));
    if (n == 0) return NotFound("user is not a member of the group");
    return {};
  }

  Result<Page<core::User>> ListMembers(const std::string& realm_id, const std::string& group_id,
                                       const ListQuery& q) override {
    IDM_TRY(Get(realm_id, group_id));
    std::string prefix = AsciiLower(q.prefix);
    std::string tag = "members/" + realm_id + "/" + group_id + "/" + prefix;
    IDM_ASSIGN_OR_RETURN(PageStart p, StartPage(q, tag));
    QueryBuilder b("SELECT " + std::string(kUserCols) +
                   " FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ");
    b.Add(b.Param(group_id));
    AddPrefixFilter(b, prefix,
                    {"u.username_lower", "u.email_lower", "u.first_lower", "u.last_lower"});
    if (p.has_cursor) {
      b.Add(" AND (u.username_lower, u.id) > (" + b.Param(p.key) + ", " + b.Param(p.id) + ")");
    }
    b.Add(" ORDER BY u.username_lower, u.id LIMIT " + b.Param(Int(p.limit + 1)));
    return UserPage(c_, b, p.limit, tag);
  }

  Result<std::vector<core::Group>> ListUserGroups(const std::string& realm_id,
                                                  const std::string& user_id) override {
    IDM_ASSIGN_OR_RETURN(
        auto rows, Query(c_,
                         "SELECT g.id, g.realm_id, g.parent_id, g.name, g.attributes, "
                         "g.created_at, g.updated_at, g.version, g.name_lower "
                         "FROM group_members m JOIN groups g ON g.id = m.group_id "
                         "WHERE m.user_id = $1 AND g.realm_id = $2 ORDER BY g.name_lower, g.id",
                         {user_id, realm_id}));
    return AllGroupFromRows(rows);
  }

 private:
  Status UserExists(const std::string& realm_id, const std::string& user_id) {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, "SELECT id FROM users WHERE realm_id = $1 AND id = $2", {realm_id, user_id}));
    if (rows.empty()) return NotFound("user not found");
    return {};
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<GroupRepo> NewGroupRepo(sql::Connection& c) {
  return std::make_unique<SqlGroupRepo>(c);
}

}  // namespace idm::store::repos
