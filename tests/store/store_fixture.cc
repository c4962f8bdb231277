#include "tests/store/store_fixture.h"

namespace idm::store::testing {

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
