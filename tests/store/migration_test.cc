// Contract: Store::Migrate / SchemaVersion / Begin / Commit / Ping (store.h, sql_store.h), on
// every backend.
#include "idm/store/migrations.h"
#include "idm/store/sql/drivers.h"
#include "idm/store/sql_store.h"
#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

class MigrationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<ScratchDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
  }

  Result<std::unique_ptr<sql::Driver>> OpenDriver() {
    const std::string& url = db_->url();
    if (url.starts_with("sqlite:")) return sql::OpenSqliteDriver(url.substr(7), OpenOptions{});
    return sql::OpenPostgresDriver(url, OpenOptions{});
  }

  // A store over this database with the given migration files instead of the embedded ones.
  std::unique_ptr<Store> StoreWith(std::vector<core::EmbeddedFile> files) {
    auto driver = OpenDriver();
    EXPECT_TRUE(driver.ok());
    if (!driver.ok()) return nullptr;
    return std::make_unique<SqlStore>(std::move(*driver), std::move(files), clock_, false);
  }

  // Runs one statement on a fresh connection, outside any store.
  Result<sql::Rows> Sql(const std::string& statement) {
    IDM_ASSIGN_OR_RETURN(auto driver, OpenDriver());
    IDM_ASSIGN_OR_RETURN(sql::Lease lease, driver->Acquire(true));
    return lease->Query(statement, {});
  }

  std::unique_ptr<ScratchDatabase> db_;
  core::SystemClock clock_;
};
IDM_STORE_SUITE(MigrationTest);

TEST_P(MigrationTest, EmptyDatabaseMigratesToNewestAndRerunDoesNothing) {
  auto store = Open(db_->url(), OpenOptions{});
  ASSERT_STORE_OK(store);
  EXPECT_STREQ((*store)->backend(), GetParam().c_str());
  auto before = (*store)->SchemaVersion();
  ASSERT_STORE_OK(before);
  EXPECT_EQ(*before, 0);
  auto known = ParseMigrations(EmbeddedMigrations(GetParam() == "sqlite" ? sql::Dialect::kSqlite
                                                                         : sql::Dialect::kPostgres));
  ASSERT_STORE_OK(known);
  ASSERT_FALSE(known->empty());
  auto ran = (*store)->Migrate();
  ASSERT_STORE_OK(ran);
  EXPECT_EQ(*ran, static_cast<int>(known->size()));
  auto after = (*store)->SchemaVersion();
  ASSERT_STORE_OK(after);
  EXPECT_EQ(*after, known->back().version);
  auto again = (*store)->Migrate();
  ASSERT_STORE_OK(again);
  EXPECT_EQ(*again, 0);
  ASSERT_STORE_OK((*store)->Ping());
}

TEST_P(MigrationTest, RunsMigrationsInVersionOrderAndStopsAtTheFirstFailure) {
  // Deliberately listed out of order; 0003 fails half-way and must leave nothing behind.
  auto store = StoreWith({
      {"x/0002_fill.sql", "CREATE TABLE t_b (x BIGINT); INSERT INTO t_a (x) VALUES (2);"},
      {"x/0001_create.sql", "CREATE TABLE t_a (x BIGINT);"},
      {"x/0003_broken.sql", "CREATE TABLE t_c (x BIGINT); THIS IS NOT SQL;"},
  });
  ASSERT_NE(store, nullptr);
  auto ran = store->Migrate();
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().code, ErrorCode::kInvalid);
  EXPECT_NE(ran.error().message.find("3_broken"), std::string::npos) << ran.error().message;
  auto version = store->SchemaVersion();
  ASSERT_STORE_OK(version);
  EXPECT_EQ(*version, 2);
  store.reset();
  auto rows = Sql("SELECT COUNT(*) FROM t_a");
  ASSERT_STORE_OK(rows);
  EXPECT_EQ(rows->Int(0, 0), 1);
  EXPECT_FALSE(Sql("SELECT COUNT(*) FROM t_c").ok()) << "the failed migration was not rolled back";
  auto names = Sql("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_STORE_OK(names);
  ASSERT_EQ(names->size(), 2u);
  EXPECT_EQ(names->Text(0, 1), "create");
  EXPECT_EQ(names->Text(1, 1), "fill");
}

TEST_P(MigrationTest, DatabaseFromANewerIdmIsRefusedWithoutWriting) {
  auto first = StoreWith({{"0001_a.sql", "CREATE TABLE t_a (x BIGINT);"},
                          {"0002_b.sql", "CREATE TABLE t_b (x BIGINT);"}});
  ASSERT_NE(first, nullptr);
  ASSERT_STORE_OK(first->Migrate());
  first.reset();
  // This "older binary" knows only 0001, plus a 0002 it would never reach.
  auto older = StoreWith({{"0001_a.sql", "CREATE TABLE t_a (x BIGINT);"}});
  ASSERT_NE(older, nullptr);
  auto ran = older->Migrate();
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().code, ErrorCode::kInvalid);
  EXPECT_NE(ran.error().message.find("newer"), std::string::npos) << ran.error().message;
  older.reset();
  auto rows = Sql("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_STORE_OK(rows);
  EXPECT_EQ(rows->Int(0, 0), 2);
}

// `idm migrate` on a database an older idm left at 0001: 0002 adds the OIDC tables and gives
// existing clients the secure defaults of the new settings.
TEST_P(MigrationTest, Version1DatabaseUpgradesToOidcSchemaKeepingClients) {
  auto dialect = GetParam() == "sqlite" ? sql::Dialect::kSqlite : sql::Dialect::kPostgres;
  std::vector<core::EmbeddedFile> v1;
  for (const core::EmbeddedFile& f : EmbeddedMigrations(dialect)) {
    if (std::string_view(f.path).find("0001_") != std::string_view::npos) v1.push_back(f);
  }
  ASSERT_EQ(v1.size(), 1u);
  auto old_store = StoreWith(v1);
  ASSERT_NE(old_store, nullptr);
  ASSERT_STORE_OK(old_store->Migrate());
  old_store.reset();
  ASSERT_STORE_OK(Sql("INSERT INTO realms VALUES ('r1', 'acme', 'Acme', 1, '{}', 1, 1, 1)"));
  ASSERT_STORE_OK(Sql(
      "INSERT INTO clients VALUES ('c1', 'r1', 'web', 'web', 'Web', 'web', '', 1, 2, '', "
      "'[\"https://a.example/cb\"]', '[]', '[\"authorization_code\"]', 'none', '[]', '{}', 1, 1, "
      "1)"));

  auto store = Open(db_->url(), OpenOptions{});
  ASSERT_STORE_OK(store);
  auto ran = (*store)->Migrate();
  ASSERT_STORE_OK(ran);
  EXPECT_GE(*ran, 1);
  auto tx = (*store)->Begin(TxMode::kReadWrite);
  ASSERT_STORE_OK(tx);
  auto client = (*tx)->clients().GetByClientId("r1", "web");
  ASSERT_STORE_OK(client);
  EXPECT_TRUE(client->require_pkce);
  EXPECT_TRUE(client->consent_required);
  EXPECT_EQ(client->subject_type, "public");
  EXPECT_EQ(client->id_token_signed_response_alg, "");
  EXPECT_TRUE(client->default_scopes.empty());
  EXPECT_EQ(client->access_token_ttl_s, 0);
  EXPECT_EQ(client->redirect_uris, (std::vector<std::string>{"https://a.example/cb"}));
  auto jti = (*tx)->jtis().InsertIfAbsent({"r1", "c1", "j", 10}, 0);
  ASSERT_STORE_OK(jti);
  EXPECT_TRUE(*jti);
}

TEST_P(MigrationTest, MalformedMigrationNameIsInvalid) {
  auto store = StoreWith({{"create_users.sql", "CREATE TABLE t (x BIGINT);"}});
  ASSERT_NE(store, nullptr);
  EXPECT_STORE_ERROR(store->Migrate(), ErrorCode::kInvalid);
}

class TransactionTest : public StoreTest {};
IDM_STORE_SUITE(TransactionTest);

TEST_P(TransactionTest, DroppingATransactionWithoutCommitRollsBack) {
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->meta().Put("k", "v"));
  }
  EXPECT_STORE_ERROR(Read()->meta().Get("k"), ErrorCode::kNotFound);
}

TEST_P(TransactionTest, ReadersDoNotSeeUncommittedWrites) {
  auto tx = Write();
  ASSERT_STORE_OK(tx->meta().Put("k", "v"));
  EXPECT_STORE_ERROR(Read()->meta().Get("k"), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->Commit());
  ASSERT_STORE_OK(Read()->meta().Get("k"));
}

TEST_P(TransactionTest, CommitTwiceIsInvalid) {
  auto tx = Write();
  ASSERT_STORE_OK(tx->Commit());
  EXPECT_STORE_ERROR(tx->Commit(), ErrorCode::kInvalid);
}

TEST_P(TransactionTest, ReadOnlyStoreRefusesWritesAndMigrations) {
  store_.reset();
  OpenOptions ro;
  ro.read_only = true;
  auto store = Open(db_->url(), ro);
  ASSERT_STORE_OK(store);
  EXPECT_STORE_ERROR((*store)->Begin(TxMode::kReadWrite), ErrorCode::kUnavailable);
  EXPECT_STORE_ERROR((*store)->Migrate(), ErrorCode::kUnavailable);
  auto tx = (*store)->Begin(TxMode::kReadOnly);
  ASSERT_STORE_OK(tx);
  auto realms = (*tx)->realms().List();
  ASSERT_STORE_OK(realms);
  EXPECT_TRUE(realms->empty());
}

}  // namespace
}  // namespace idm::store::testing
