// /admin/api/v1/realms/{realm}/users: CRUD, paging, prefix search, passwords, groups.
#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

std::vector<std::string> Usernames(const core::Json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["username"]);
  return out;
}

class UsersApiTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    MakeRealm("acme");
  }
};

TEST_F(UsersApiTest, CreatesReadsReplacesPatchesAndDeletesAUser) {
  auto created = Admin("POST", "/realms/acme/users",
                       R"({"username":"Wile","email":"wile@acme.test","first_name":"Wile",
                           "attributes":{"dept":["r&d"]}})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Body(created)["id"];
  EXPECT_EQ(created.headers.find("Location")->second, "/admin/api/v1/realms/acme/users/" + id);

  auto got = Admin("GET", "/realms/acme/users/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Body(got)["attributes"]["dept"][0], "r&d");
  EXPECT_EQ(got.headers.find("ETag")->second, "W/\"1\"");

  auto put = Admin("PUT", "/realms/acme/users/" + id, R"({"username":"wile","last_name":"Coyote"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put)["email"], "") << "PUT replaces: absent fields return to their defaults";
  EXPECT_EQ(Body(put)["last_name"], "Coyote");

  auto patch = Admin("PATCH", "/realms/acme/users/" + id, R"({"enabled":false})");
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(Body(patch)["last_name"], "Coyote");
  EXPECT_EQ(Body(patch)["enabled"], false);
  EXPECT_EQ(patch.headers.find("ETag")->second, "W/\"3\"");

  EXPECT_EQ(Admin("DELETE", "/realms/acme/users/" + id).status, 204);
  EXPECT_EQ(Admin("GET", "/realms/acme/users/" + id).status, 404);
  EXPECT_EQ(Admin("DELETE", "/realms/acme/users/" + id).status, 404);
}

TEST_F(UsersApiTest, DuplicateUsernameIs409CaseInsensitively) {
  MakeUser("acme", "roadrunner");
  auto dup = Admin("POST", "/realms/acme/users", R"({"username":"RoadRunner"})");
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(Body(dup)["type"], "urn:idm:problem:conflict");
}

TEST_F(UsersApiTest, UnknownFieldsAndWrongTypesAre400) {
  auto unknown = Admin("POST", "/realms/acme/users", R"({"username":"a","role":"admin"})");
  ASSERT_EQ(unknown.status, 400);
  EXPECT_EQ(Body(unknown)["errors"][0]["field"], "role");
  auto wrong = Admin("POST", "/realms/acme/users", R"({"username":"a","attributes":{"k":"v"}})");
  ASSERT_EQ(wrong.status, 400);
  EXPECT_EQ(Body(wrong)["errors"][0]["field"], "attributes.k");
  auto malformed = Admin("PUT", "/realms/acme/users/x", "{\"username\"");
  EXPECT_EQ(malformed.status, 400);
}

TEST_F(UsersApiTest, PagesThroughUsersWithCursors) {
  for (const char* name : {"ann", "bob", "cat", "dan", "eve"}) MakeUser("acme", name);
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string path = "/realms/acme/users?limit=2";
    if (!cursor.empty()) path += "&cursor=" + cursor;
    auto r = Admin("GET", path);
    ASSERT_EQ(r.status, 200) << r.body;
    core::Json page = Body(r);
    EXPECT_LE(page["items"].size(), 2u);
    for (const auto& n : Usernames(page)) seen.push_back(n);
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"ann", "bob", "cat", "dan", "eve"}));
}

TEST_F(UsersApiTest, SearchesByPrefix) {
  for (const char* name : {"alice", "alfred", "bob"}) MakeUser("acme", name);
  auto r = Admin("GET", "/realms/acme/users?q=al");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Usernames(Body(r)), (std::vector<std::string>{"alfred", "alice"}));
}

TEST_F(UsersApiTest, BadPagingParametersAre400) {
  EXPECT_EQ(Admin("GET", "/realms/acme/users?limit=0").status, 400);
  EXPECT_EQ(Admin("GET", "/realms/acme/users?cursor=garbage").status, 400);
}

TEST_F(UsersApiTest, SetsPasswordAndReportsPolicyViolationsOnFieldPassword) {
  const std::string id = MakeUser("acme", "wile")["id"];
  EXPECT_EQ(Admin("PUT", "/realms/acme/users/" + id + "/password",
                  R"({"password":"correct horse battery"})").status, 204);
  auto ok = users_->VerifyPassword("acme", "wile", "correct horse battery");
  EXPECT_TRUE(ok.ok());

  auto weak = Admin("PUT", "/realms/acme/users/" + id + "/password", R"({"password":"short"})");
  ASSERT_EQ(weak.status, 400);
  EXPECT_EQ(Body(weak)["errors"][0]["field"], "password");
  EXPECT_EQ(weak.body.find("short\""), std::string::npos) << "the password is never echoed";

  auto missing = Admin("PUT", "/realms/acme/users/" + id + "/password", R"({})");
  ASSERT_EQ(missing.status, 400);
  EXPECT_EQ(Body(missing)["errors"][0]["field"], "password");
}

TEST_F(UsersApiTest, CreatesAUserWithAnInitialPassword) {
  auto r = Admin("POST", "/realms/acme/users",
                 R"({"username":"bugs","password":"what's up doc, 1940"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(Body(r).contains("password"));
  EXPECT_TRUE(users_->VerifyPassword("acme", "bugs", "what's up doc, 1940").ok());
}

TEST_F(UsersApiTest, ListsTheGroupsOfAUser) {
  const std::string user = MakeUser("acme", "wile")["id"];
  const std::string group = MakeGroup("acme", "engineers")["id"];
  ASSERT_EQ(Admin("PUT", "/realms/acme/groups/" + group + "/members/" + user).status, 204);
  auto r = Admin("GET", "/realms/acme/users/" + user + "/groups");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(Body(r)["items"].size(), 1u);
  EXPECT_EQ(Body(r)["items"][0]["name"], "engineers");
}

}  // namespace
}  // namespace idm::admin::testing
