// /admin/api/v1/realms/{realm}/audit-events: paged by seq.
#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

TEST_F(AdminApiTest, PagesThroughAuditEventsBySeq) {
  MakeRealm("acme");
  for (const char* name : {"a", "b", "c", "d"}) MakeRole("acme", name);
  const size_t total = AuditTypes("acme").size();
  ASSERT_GE(total, 5u);  // RealmCreated, keys, four RoleCreated

  std::vector<int64_t> seqs;
  std::string cursor;
  int pages = 0;
  do {
    std::string path = "/realms/acme/audit-events?limit=2";
    if (!cursor.empty()) path += "&cursor=" + cursor;
    auto r = Admin("GET", path);
    ASSERT_EQ(r.status, 200) << r.body;
    core::Json page = Body(r);
    for (const auto& e : page["items"]) {
      seqs.push_back(e["seq"]);
      EXPECT_TRUE(e["details"].is_object());
      EXPECT_FALSE(e["hash"].get<std::string>().empty());
    }
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 50);
  EXPECT_EQ(seqs.size(), total);
  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_LT(seqs[i - 1], seqs[i]);
  EXPECT_EQ(Body(Admin("GET", "/realms/acme/audit-events?limit=1000"))["items"].back()["type"],
            "RoleCreated");
}

TEST_F(AdminApiTest, AuditCursorThatIsNotASeqIs400) {
  auto r = Admin("GET", "/realms/master/audit-events?cursor=abc");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["errors"][0]["field"], "cursor");
}

}  // namespace
}  // namespace idm::admin::testing
