// /admin/api/v1/realms: CRUD, ETag/If-Match, body validation.
#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

std::vector<std::string> ErrorFields(const core::Json& problem) {
  std::vector<std::string> fields;
  for (const auto& e : problem.value("errors", core::Json::array())) fields.push_back(e["field"]);
  return fields;
}

TEST_F(AdminApiTest, CreatesReadsListsAndDeletesARealm) {
  auto created = Admin("POST", "/realms", R"({"name":"acme","display_name":"Acme Inc."})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Header(created, "Location"), "/admin/api/v1/realms/acme");
  EXPECT_EQ(Header(created, "ETag"), "W/\"1\"");
  EXPECT_EQ(Body(created)["display_name"], "Acme Inc.");
  EXPECT_EQ(Body(created)["settings"]["access_token_ttl_s"], 300);

  auto got = Admin("GET", "/realms/acme");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Header(got, "ETag"), "W/\"1\"");
  EXPECT_EQ(Body(got)["name"], "acme");

  auto list = Body(Admin("GET", "/realms"));
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["name"], "acme");

  EXPECT_EQ(Admin("DELETE", "/realms/acme").status, 204);
  EXPECT_EQ(Admin("GET", "/realms/acme").status, 404);
}

TEST_F(AdminApiTest, PutReplacesAndPatchMergesRealmSettings) {
  ASSERT_EQ(Admin("POST", "/realms", R"({"name":"acme"})").status, 201);
  auto put = Admin("PUT", "/realms/acme",
                   R"({"name":"acme","display_name":"A","settings":{"access_token_ttl_s":600}})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Header(put, "ETag"), "W/\"2\"");
  EXPECT_EQ(Body(put)["settings"]["access_token_ttl_s"], 600);

  auto patch = Admin("PATCH", "/realms/acme",
                     R"({"settings":{"password_policy":{"min_length":16}}})",
                     {{"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(patch.status, 200) << patch.body;
  core::Json body = Body(patch);
  EXPECT_EQ(body["display_name"], "A") << "absent fields keep their value";
  EXPECT_EQ(body["settings"]["access_token_ttl_s"], 600) << "nested objects merge (RFC 7396)";
  EXPECT_EQ(body["settings"]["password_policy"]["min_length"], 16);
  EXPECT_EQ(body["version"], 3);
}

TEST_F(AdminApiTest, PatchWithNullResetsAFieldToItsDefault) {
  ASSERT_EQ(Admin("POST", "/realms", R"({"name":"acme","display_name":"Acme"})").status, 201);
  auto patch = Admin("PATCH", "/realms/acme", R"({"display_name":null})");
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(Body(patch)["display_name"], "");
}

TEST_F(AdminApiTest, DuplicateRealmNameIs409) {
  ASSERT_EQ(Admin("POST", "/realms", R"({"name":"acme"})").status, 201);
  auto dup = Admin("POST", "/realms", R"({"name":"acme"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(Header(dup, "Content-Type"), "application/problem+json");
}

TEST_F(AdminApiTest, MalformedJsonIs400Problem) {
  auto r = Admin("POST", "/realms", R"({"name":)");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Header(r, "Content-Type"), "application/problem+json");
  EXPECT_NE(Body(r)["detail"].get<std::string>().find("not valid JSON"), std::string::npos);
}

TEST_F(AdminApiTest, UnknownFieldsAre400ListingEachOfThem) {
  auto r = Admin("POST", "/realms", R"({"name":"acme","colour":"red","settings":{"ttl":1}})");
  ASSERT_EQ(r.status, 400);
  core::Json body = Body(r);
  EXPECT_EQ(ErrorFields(body), (std::vector<std::string>{"settings.ttl", "colour"}));
  EXPECT_NE(body["detail"].get<std::string>().find("colour"), std::string::npos);
  EXPECT_EQ(Admin("GET", "/realms/acme").status, 404) << "nothing was created";
}

TEST_F(AdminApiTest, WrongTypeIs400NamingTheField) {
  auto r = Admin("POST", "/realms", R"({"name":"acme","enabled":"yes"})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(ErrorFields(Body(r)), (std::vector<std::string>{"enabled"}));
}

TEST_F(AdminApiTest, InvalidRealmNameIs400FromTheService) {
  auto r = Admin("POST", "/realms", R"({"name":"Not A Name"})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(ErrorFields(Body(r)), (std::vector<std::string>{"name"}));
}

TEST_F(AdminApiTest, IfMatchMismatchIs412AndChangesNothing) {
  ASSERT_EQ(Admin("POST", "/realms", R"({"name":"acme"})").status, 201);
  ASSERT_EQ(Admin("PATCH", "/realms/acme", R"({"display_name":"v2"})").status, 200);
  auto stale = Admin("PATCH", "/realms/acme", R"({"display_name":"v3"})",
                     {{"If-Match", "W/\"1\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(Body(stale)["type"], "urn:idm:problem:precondition-failed");
  EXPECT_EQ(Body(Admin("GET", "/realms/acme"))["display_name"], "v2");
  EXPECT_EQ(Admin("DELETE", "/realms/acme", "", {{"If-Match", "W/\"1\""}}).status, 412);

  auto fresh = Admin("PATCH", "/realms/acme", R"({"display_name":"v3"})",
                     {{"If-Match", "W/\"2\""}});
  EXPECT_EQ(fresh.status, 200);
  EXPECT_EQ(Admin("DELETE", "/realms/acme", "", {{"If-Match", "W/\"3\""}}).status, 204);
}

TEST_F(AdminApiTest, MasterRealmCannotBeDeleted) {
  auto r = Admin("DELETE", "/realms/master");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Admin("GET", "/realms/master").status, 200);
}

TEST_F(AdminApiTest, UnknownRealmIs404Problem) {
  auto r = Admin("GET", "/realms/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Header(r, "Content-Type"), "application/problem+json");
}

}  // namespace
}  // namespace idm::admin::testing
