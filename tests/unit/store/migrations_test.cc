// Migration file naming and the embedded sets (idm/store/migrations.h).
#include "idm/store/migrations.h"

#include <gtest/gtest.h>

namespace idm::store {
namespace {

TEST(Migrations, ParsesNumberAndNameAndSortsByVersion) {
  auto parsed = ParseMigrations({{"sqlite/0010_later.sql", "B"}, {"sqlite/0002_first.sql", "A"}});
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].version, 2);
  EXPECT_EQ((*parsed)[0].name, "first");
  EXPECT_EQ((*parsed)[0].sql, "A");
  EXPECT_EQ((*parsed)[1].version, 10);
  EXPECT_EQ((*parsed)[1].name, "later");
}

TEST(Migrations, RejectsMalformedNamesAndDuplicateVersions) {
  for (const char* bad : {"1_x.sql", "0001-x.sql", "0001_x.txt", "abcd_x.sql", "0001_.sql",
                          "x/0001.sql"}) {
    auto parsed = ParseMigrations({{bad, ""}});
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid) << bad;
  }
  auto dup = ParseMigrations({{"0001_a.sql", ""}, {"0001_b.sql", ""}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalid);
}

TEST(Migrations, EmbeddedDialectsArePairedByVersionAndName) {
  auto lite = ParseMigrations(EmbeddedMigrations(sql::Dialect::kSqlite));
  auto pg = ParseMigrations(EmbeddedMigrations(sql::Dialect::kPostgres));
  ASSERT_TRUE(lite.ok());
  ASSERT_TRUE(pg.ok());
  ASSERT_FALSE(lite->empty());
  ASSERT_EQ(lite->size(), pg->size());
  for (size_t i = 0; i < lite->size(); ++i) {
    EXPECT_EQ((*lite)[i].version, (*pg)[i].version) << i;
    EXPECT_EQ((*lite)[i].name, (*pg)[i].name) << i;
    EXPECT_EQ((*lite)[i].version, static_cast<int>(i + 1)) << "versions are consecutive from 1";
    EXPECT_FALSE((*lite)[i].sql.empty());
  }
}

}  // namespace
}  // namespace idm::store
