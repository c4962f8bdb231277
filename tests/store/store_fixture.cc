#include "tests/store/store_fixture.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>

namespace idm::store::testing {
namespace {

const char* PgAdminUrl() {
  const char* url = std::getenv("IDM_TEST_PG_URL");
  return url && *url ? url : nullptr;
}

// Runs one statement on a fresh admin connection; returns "" or the error text.
std::string PgAdmin(const std::string& statement) {
  PGconn* conn = PQconnectdb(PgAdminUrl());
  std::string err;
  if (PQstatus(conn) != CONNECTION_OK) {
    err = PQerrorMessage(conn);
  } else {
    PGresult* res = PQexec(conn, statement.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) err = PQresultErrorMessage(res);
    PQclear(res);
  }
  PQfinish(conn);
  return err;
}

// The admin URL with its database name replaced.
std::string WithDatabase(const std::string& url, const std::string& db) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  size_t query = url.find('?');
  if (start == std::string::npos || (query != std::string::npos && start > query)) {
    std::string base = url.substr(0, query);
    std::string rest = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + db + rest;
  }
  size_t end = query == std::string::npos ? url.size() : query;
  return url.substr(0, start + 1) + db + url.substr(end);
}

std::string RandomHex(size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kHex[rd() % 16];
  return s;
}

}  // namespace

std::vector<std::string> Backends() {
  std::vector<std::string> out = {"sqlite"};
  if (PgAdminUrl()) out.push_back("postgres");
  return out;
}

ScratchDatabase::ScratchDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    auto base = std::filesystem::temp_directory_path() / ("idm_store_test_" + RandomHex(16));
    std::filesystem::create_directories(base);
    dir_ = base.string();
    url_ = "sqlite:" + (base / "idm.db").string();
    return;
  }
  db_name_ = "idm_t_" + RandomHex(16);
  error_ = PgAdmin("CREATE DATABASE " + db_name_);
  if (error_.empty()) url_ = WithDatabase(PgAdminUrl(), db_name_);
}

ScratchDatabase::~ScratchDatabase() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!db_name_.empty() && error_.empty()) {
    (void)PgAdmin("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
  }
}

void StoreTest::SetUp() {
  db_ = std::make_unique<ScratchDatabase>(GetParam());
  ASSERT_TRUE(db_->error().empty()) << db_->error();
  auto store = Open(db_->url(), OpenOptions{});
  ASSERT_STORE_OK(store);
  store_ = std::move(*store);
  auto ran = store_->Migrate();
  ASSERT_STORE_OK(ran);
}

void StoreTest::TearDown() {
  store_.reset();
  db_.reset();
}

std::unique_ptr<Transaction> StoreTest::Write() {
  auto tx = store_->Begin(TxMode::kReadWrite);
  EXPECT_TRUE(tx.ok()) << (tx.ok() ? "" : tx.error().message);
  return tx.ok() ? std::move(*tx) : nullptr;
}

std::unique_ptr<Transaction> StoreTest::Read() {
  auto tx = store_->Begin(TxMode::kReadOnly);
  EXPECT_TRUE(tx.ok()) << (tx.ok() ? "" : tx.error().message);
  return tx.ok() ? std::move(*tx) : nullptr;
}

core::Realm StoreTest::MakeRealm(const std::string& name) {
  core::Realm r;
  r.id = NewId();
  r.name = name;
  r.display_name = "Realm " + name;
  r.created_at = r.updated_at = 1700000000000;
  auto tx = Write();
  auto created = tx->realms().Create(r);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  EXPECT_TRUE(tx->Commit().ok());
  return created.ok() ? *created : r;
}

core::User StoreTest::NewUserValue(const std::string& realm_id, const std::string& username,
                                   const std::string& email) {
  core::User u;
  u.id = NewId();
  u.realm_id = realm_id;
  u.username = username;
  u.email = email;
  u.first_name = "First";
  u.last_name = "Last";
  u.created_at = u.updated_at = 1700000000000;
  return u;
}

core::User StoreTest::MakeUser(const std::string& realm_id, const std::string& username,
                               const std::string& email) {
  auto tx = Write();
  auto created = tx->users().Create(NewUserValue(realm_id, username, email));
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  EXPECT_TRUE(tx->Commit().ok());
  return created.ok() ? *created : core::User{};
}

core::Group StoreTest::MakeGroup(const std::string& realm_id, const std::string& name,
                                 const std::optional<std::string>& parent) {
  core::Group g;
  g.id = NewId();
  g.realm_id = realm_id;
  g.parent_id = parent;
  g.name = name;
  auto tx = Write();
  auto created = tx->groups().Create(g);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  EXPECT_TRUE(tx->Commit().ok());
  return created.ok() ? *created : g;
}

core::Client StoreTest::MakeClient(const std::string& realm_id, const std::string& client_id) {
  core::Client c;
  c.id = NewId();
  c.realm_id = realm_id;
  c.client_id = client_id;
  c.name = "Client " + client_id;
  auto tx = Write();
  auto created = tx->clients().Create(c);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  EXPECT_TRUE(tx->Commit().ok());
  return created.ok() ? *created : c;
}

core::Role StoreTest::MakeRole(const std::string& realm_id, const std::string& name,
                               const std::optional<std::string>& client_id) {
  core::Role r;
  r.id = NewId();
  r.realm_id = realm_id;
  r.client_id = client_id;
  r.name = name;
  auto tx = Write();
  auto created = tx->roles().Create(r);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  EXPECT_TRUE(tx->Commit().ok());
  return created.ok() ? *created : r;
}

}  // namespace idm::store::testing
