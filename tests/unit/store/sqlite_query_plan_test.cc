// The SQLite schema keeps the hot queries on indexes (docs/design/002-storage.md: login and search
// must stay fast with 1,000,000 users in a realm). Each case asks SQLite's planner about a query of
// the same shape as the repository's and fails if it would scan a table or sort in a temp b-tree.
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "idm/store/sql/drivers.h"
#include "idm/store/store.h"

namespace idm::store {
namespace {

namespace fs = std::filesystem;

class SqliteQueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("idm_plan_test_" + std::to_string(rd()));
    fs::create_directories(dir_);
    std::string path = (dir_ / "idm.db").string();
    auto store = Open("sqlite:" + path, OpenOptions{});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Migrate().ok());
    store->reset();
    auto driver = sql::OpenSqliteDriver(path, OpenOptions{});
    ASSERT_TRUE(driver.ok());
    driver_ = std::move(*driver);
  }
  void TearDown() override {
    driver_.reset();
    fs::remove_all(dir_);
  }
  // The planner's steps for sql, one "detail" per line.
  std::string Plan(const std::string& sql) {
    auto lease = driver_->Acquire(false);
    EXPECT_TRUE(lease.ok());
    auto rows = (*lease)->Query("EXPLAIN QUERY PLAN " + sql, {});
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().message);
    std::string out;
    for (size_t i = 0; rows.ok() && i < rows->size(); ++i) out += rows->Text(i, 3) + "\n";
    return out;
  }

  fs::path dir_;
  std::unique_ptr<sql::Driver> driver_;
};

TEST_F(SqliteQueryPlanTest, HotQueriesUseIndexesAndNeverScanOrSort) {
  struct Case {
    const char* name;
    const char* sql;
  };
  const Case cases[] = {
      {"login by username",
       "SELECT id FROM users WHERE realm_id = $1 AND username_lower = $2"},
      {"login by email",
       "SELECT id FROM users WHERE realm_id = $1 AND email_lower = $2 AND email_lower <> ''"},
      {"users page after cursor",
       "SELECT id FROM users u WHERE realm_id = $1 AND (username_lower, id) > ($2, $3) "
       "ORDER BY username_lower, id LIMIT 101"},
      {"user's groups",
       "SELECT g.id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.user_id = $1"},
      {"user's roles",
       "SELECT r.id FROM user_roles m JOIN roles r ON r.id = m.role_id WHERE m.user_id = $1"},
      {"client by client_id", "SELECT id FROM clients WHERE realm_id = $1 AND client_id = $2"},
      {"audit after seq",
       "SELECT seq FROM audit_events WHERE realm_id = $1 AND seq > $2 ORDER BY seq LIMIT 100"},
  };
  for (const Case& c : cases) {
    std::string plan = Plan(c.sql);
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << c.name << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << c.name << "\n" << plan;
  }
}

TEST_F(SqliteQueryPlanTest, PrefixSearchCostFollowsMatchesNotRealmSize) {
  // The shape of UserRepo::List with a prefix and a cursor: one index range per searched column,
  // whole rows, UNIONed, with the cursor condition outside. An OR of the ranges instead lets
  // SQLite walk the whole realm in username order (this test failed on that first version).
  const std::string cols =
      "u.id, u.realm_id, u.username, u.email, u.email_verified, u.first_name, u.last_name, "
      "u.enabled, u.attributes, u.created_at, u.updated_at, u.version, u.username_lower";
  std::string branches;
  const char* columns[] = {"username_lower", "email_lower", "first_lower", "last_lower"};
  for (const char* c : columns) {
    if (!branches.empty()) branches += " UNION ";
    branches += "SELECT " + cols + " FROM users u WHERE u.realm_id = $1 AND u." + c +
                " >= $2 AND u." + c + " < $3";
    if (std::string(c) == "email_lower") branches += " AND u.email_lower <> ''";
  }
  std::string plan = Plan("SELECT " + cols + " FROM (" + branches +
                          ") u WHERE 1 = 1 AND (u.username_lower, u.id) > ($4, $5) "
                          "ORDER BY u.username_lower, u.id LIMIT 101");
  // The one SCAN is of the UNION's result (the co-routine u), never of the users table.
  EXPECT_NE(plan.find("CO-ROUTINE u"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN users"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN u USING"), std::string::npos) << plan;
  for (const char* index : {"users_username (realm_id=? AND username_lower>? AND",
                            "users_email (realm_id=? AND email_lower>? AND",
                            "users_first (realm_id=? AND first_lower>? AND",
                            "users_last (realm_id=? AND last_lower>? AND"}) {
    EXPECT_NE(plan.find(index), std::string::npos) << index << "\n" << plan;
  }
}

}  // namespace
}  // namespace idm::store
