// Roles, composites, role mappings and effective roles.
#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

class RolesApiTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    MakeRealm("acme");
  }
};

TEST_F(RolesApiTest, CreatesListsReadsUpdatesAndDeletesRealmRoles) {
  auto created = Admin("POST", "/realms/acme/roles", R"({"name":"viewer","description":"reads"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Body(created)["id"];
  EXPECT_TRUE(Body(created)["client_id"].is_null());
  MakeRole("acme", "editor");
  EXPECT_EQ(Names(Body(Admin("GET", "/realms/acme/roles"))),
            (std::vector<std::string>{"editor", "viewer"}));
  EXPECT_EQ(Names(Body(Admin("GET", "/realms/acme/roles?q=vi"))),
            (std::vector<std::string>{"viewer"}));

  auto page = Body(Admin("GET", "/realms/acme/roles?limit=1"));
  EXPECT_EQ(Names(page), (std::vector<std::string>{"editor"}));
  EXPECT_TRUE(page["next_cursor"].is_string());

  EXPECT_EQ(Body(Admin("GET", "/realms/acme/roles/" + id))["description"], "reads");
  auto put = Admin("PUT", "/realms/acme/roles/" + id, R"({"name":"reader"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put)["description"], "");
  auto patch = Admin("PATCH", "/realms/acme/roles/" + id, R"({"description":"reads all"})");
  ASSERT_EQ(patch.status, 200);
  EXPECT_EQ(Body(patch)["name"], "reader");
  EXPECT_EQ(Admin("PATCH", "/realms/acme/roles/" + id, R"({"description":"x"})",
                  {{"If-Match", "W/\"1\""}}).status, 412);
  EXPECT_EQ(Admin("DELETE", "/realms/acme/roles/" + id).status, 204);
  EXPECT_EQ(Admin("GET", "/realms/acme/roles/" + id).status, 404);
}

TEST_F(RolesApiTest, DuplicateRoleNameIs409) {
  MakeRole("acme", "viewer");
  EXPECT_EQ(Admin("POST", "/realms/acme/roles", R"({"name":"viewer"})").status, 409);
}

TEST_F(RolesApiTest, AddsListsAndRemovesCompositesAndRefusesCycles) {
  const std::string admin = MakeRole("acme", "admin-all")["id"];
  const std::string editor = MakeRole("acme", "editor")["id"];
  const std::string composites = "/realms/acme/roles/" + admin + "/composites";
  EXPECT_EQ(Admin("POST", composites, core::Json{{"role_id", editor}}.dump()).status, 204);
  EXPECT_EQ(Names(Body(Admin("GET", composites))), (std::vector<std::string>{"editor"}));

  auto cycle = Admin("POST", "/realms/acme/roles/" + editor + "/composites",
                     core::Json{{"role_id", admin}}.dump());
  EXPECT_EQ(cycle.status, 409) << cycle.body;

  EXPECT_EQ(Admin("POST", composites, R"({})").status, 400);
  EXPECT_EQ(Admin("DELETE", composites).status, 400) << "role_id query parameter required";
  EXPECT_EQ(Admin("DELETE", composites + "?role_id=" + editor).status, 204);
  EXPECT_TRUE(Body(Admin("GET", composites))["items"].empty());
}

TEST_F(RolesApiTest, GrantsListsAndRevokesUserRoleMappings) {
  const std::string user = MakeUser("acme", "wile")["id"];
  const std::string role = MakeRole("acme", "viewer")["id"];
  const std::string mappings = "/realms/acme/users/" + user + "/role-mappings";
  EXPECT_EQ(Admin("POST", mappings, core::Json{{"role_id", role}}.dump()).status, 204);
  EXPECT_EQ(Names(Body(Admin("GET", mappings))), (std::vector<std::string>{"viewer"}));
  EXPECT_EQ(Admin("POST", mappings, R"({"role_id":"no-such-role"})").status, 404);
  EXPECT_EQ(Admin("POST", mappings, R"({"role_id":7})").status, 400);
  EXPECT_EQ(Admin("DELETE", mappings + "?role_id=" + role).status, 204);
  EXPECT_EQ(Admin("DELETE", mappings + "?role_id=" + role).status, 404);
  EXPECT_TRUE(Body(Admin("GET", mappings))["items"].empty());
}

TEST_F(RolesApiTest, EffectiveRolesComeThroughGroupsAncestorsAndComposites) {
  const std::string user = MakeUser("acme", "wile")["id"];
  const std::string parent = MakeGroup("acme", "engineering")["id"];
  const std::string child = MakeGroup("acme", "backend", parent)["id"];
  const std::string lead = MakeRole("acme", "lead")["id"];
  const std::string viewer = MakeRole("acme", "viewer")["id"];
  const std::string direct = MakeRole("acme", "direct")["id"];
  ASSERT_EQ(Admin("PUT", "/realms/acme/groups/" + child + "/members/" + user).status, 204);
  const std::string group_mappings = "/realms/acme/groups/" + parent + "/role-mappings";
  ASSERT_EQ(Admin("POST", group_mappings, core::Json{{"role_id", lead}}.dump()).status, 204);
  EXPECT_EQ(Names(Body(Admin("GET", group_mappings))), (std::vector<std::string>{"lead"}));
  ASSERT_EQ(Admin("POST", "/realms/acme/roles/" + lead + "/composites",
                  core::Json{{"role_id", viewer}}.dump()).status, 204);
  ASSERT_EQ(Admin("POST", "/realms/acme/users/" + user + "/role-mappings",
                  core::Json{{"role_id", direct}}.dump()).status, 204);

  auto r = Admin("GET", "/realms/acme/users/" + user + "/effective-roles");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["realm_roles"], (core::Json{"direct", "lead", "viewer"}));
  EXPECT_TRUE(Body(r)["client_roles"].is_object());

  EXPECT_EQ(Admin("DELETE", group_mappings + "?role_id=" + lead).status, 204);
  EXPECT_EQ(Body(Admin("GET", "/realms/acme/users/" + user + "/effective-roles"))["realm_roles"],
            (core::Json{"direct"}));
}

}  // namespace
}  // namespace idm::admin::testing
