// /admin/api/v1/realms/{realm}/groups: nesting, members, CRUD.
#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

class GroupsApiTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    MakeRealm("acme");
  }
};

TEST_F(GroupsApiTest, ListsTopLevelGroupsOrTheChildrenOfParent) {
  const std::string eng = MakeGroup("acme", "engineering")["id"];
  MakeGroup("acme", "sales");
  MakeGroup("acme", "backend", eng);
  EXPECT_EQ(Names(Body(Admin("GET", "/realms/acme/groups"))),
            (std::vector<std::string>{"engineering", "sales"}));
  auto children = Body(Admin("GET", "/realms/acme/groups?parent=" + eng));
  EXPECT_EQ(Names(children), (std::vector<std::string>{"backend"}));
  EXPECT_EQ(children["items"][0]["parent_id"], eng);
  EXPECT_EQ(Names(Body(Admin("GET", "/realms/acme/groups?q=sa"))),
            (std::vector<std::string>{"sales"}));
}

TEST_F(GroupsApiTest, ReadsReplacesPatchesMovesAndDeletesAGroup) {
  const std::string a = MakeGroup("acme", "a")["id"];
  const std::string b = MakeGroup("acme", "b")["id"];
  auto got = Admin("GET", "/realms/acme/groups/" + b);
  ASSERT_EQ(got.status, 200);
  EXPECT_TRUE(Body(got)["parent_id"].is_null());

  auto moved = Admin("PATCH", "/realms/acme/groups/" + b, core::Json{{"parent_id", a}}.dump());
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Body(moved)["parent_id"], a);

  auto put = Admin("PUT", "/realms/acme/groups/" + b, R"({"name":"b2","attributes":{"x":["1"]}})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_TRUE(Body(put)["parent_id"].is_null()) << "PUT without parent_id moves it to the top";
  EXPECT_EQ(Body(put)["name"], "b2");

  auto cycle = Admin("PATCH", "/realms/acme/groups/" + a, core::Json{{"parent_id", a}}.dump());
  EXPECT_EQ(cycle.status, 409) << cycle.body;

  EXPECT_EQ(Admin("DELETE", "/realms/acme/groups/" + a).status, 204);
  EXPECT_EQ(Admin("GET", "/realms/acme/groups/" + a).status, 404);
}

TEST_F(GroupsApiTest, DuplicateSiblingNameIs409) {
  MakeGroup("acme", "ops");
  EXPECT_EQ(Admin("POST", "/realms/acme/groups", R"({"name":"ops"})").status, 409);
}

TEST_F(GroupsApiTest, AddsListsAndRemovesMembers) {
  const std::string group = MakeGroup("acme", "ops")["id"];
  const std::string u1 = MakeUser("acme", "ann")["id"];
  const std::string u2 = MakeUser("acme", "bob")["id"];
  const std::string members = "/realms/acme/groups/" + group + "/members";
  EXPECT_EQ(Admin("PUT", members + "/" + u1).status, 204);
  EXPECT_EQ(Admin("PUT", members + "/" + u1).status, 204) << "adding twice is idempotent";
  EXPECT_EQ(Admin("PUT", members + "/" + u2).status, 204);

  auto page1 = Body(Admin("GET", members + "?limit=1"));
  ASSERT_EQ(page1["items"].size(), 1u);
  EXPECT_EQ(page1["items"][0]["username"], "ann");
  ASSERT_TRUE(page1["next_cursor"].is_string());
  auto page2 = Body(Admin("GET", members + "?limit=1&cursor=" +
                                     page1["next_cursor"].get<std::string>()));
  ASSERT_EQ(page2["items"].size(), 1u);
  EXPECT_EQ(page2["items"][0]["username"], "bob");

  EXPECT_EQ(Admin("DELETE", members + "/" + u1).status, 204);
  EXPECT_EQ(Admin("DELETE", members + "/" + u1).status, 404) << "no longer a member";
  EXPECT_EQ(Admin("PUT", members + "/no-such-user").status, 404);
  EXPECT_EQ(Body(Admin("GET", members))["items"].size(), 1u);
}

}  // namespace
}  // namespace idm::admin::testing
