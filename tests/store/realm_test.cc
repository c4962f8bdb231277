// Contract: RealmRepo (store.h), on every backend.
#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

class RealmRepoTest : public StoreTest {};
IDM_STORE_SUITE(RealmRepoTest);

TEST_P(RealmRepoTest, CreateReturnsVersionOneAndGetReadsItBack) {
  core::Realm r;
  r.id = NewId();
  r.name = "acme";
  r.display_name = "Acme Corp";
  r.enabled = false;
  r.settings.access_token_ttl_s = 123;
  r.settings.default_signing_alg = "RS256";
  r.settings.password_policy.min_length = 20;
  r.settings.password_policy.require_symbol = true;
  r.created_at = 11;
  r.updated_at = 12;
  auto tx = Write();
  auto created = tx->realms().Create(r);
  ASSERT_STORE_OK(created);
  EXPECT_EQ(created->version, 1);
  ASSERT_STORE_OK(tx->Commit());

  auto rt = Read();
  auto got = rt->realms().Get(r.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->name, "acme");
  EXPECT_EQ(got->display_name, "Acme Corp");
  EXPECT_FALSE(got->enabled);
  EXPECT_EQ(got->settings.access_token_ttl_s, 123);
  EXPECT_EQ(got->settings.default_signing_alg, "RS256");
  EXPECT_EQ(got->settings.password_policy.min_length, 20);
  EXPECT_TRUE(got->settings.password_policy.require_symbol);
  EXPECT_EQ(got->created_at, 11);
  EXPECT_EQ(got->updated_at, 12);
  EXPECT_EQ(got->version, 1);
  auto by_name = rt->realms().GetByName("acme");
  ASSERT_STORE_OK(by_name);
  EXPECT_EQ(by_name->id, r.id);
}

TEST_P(RealmRepoTest, RejectsDuplicateName) {
  MakeRealm("acme");
  core::Realm dup;
  dup.id = NewId();
  dup.name = "acme";
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->realms().Create(dup), ErrorCode::kConflict);
}

TEST_P(RealmRepoTest, GetOfUnknownRealmIsNotFound) {
  auto tx = Read();
  EXPECT_STORE_ERROR(tx->realms().Get("nope"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->realms().GetByName("nope"), ErrorCode::kNotFound);
}

TEST_P(RealmRepoTest, ListIsOrderedByName) {
  MakeRealm("zeta");
  MakeRealm("alpha");
  MakeRealm("master");
  auto tx = Read();
  auto all = tx->realms().List();
  ASSERT_STORE_OK(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name, "alpha");
  EXPECT_EQ((*all)[1].name, "master");
  EXPECT_EQ((*all)[2].name, "zeta");
}

TEST_P(RealmRepoTest, UpdateBumpsVersionAndRefusesStaleVersion) {
  core::Realm r = MakeRealm("acme");
  r.display_name = "Renamed";
  r.settings.refresh_token_ttl_s = 99;
  auto tx = Write();
  auto updated = tx->realms().Update(r);
  ASSERT_STORE_OK(updated);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->display_name, "Renamed");
  EXPECT_EQ(updated->settings.refresh_token_ttl_s, 99);
  // r still carries version 1: a second writer that read before the update.
  EXPECT_STORE_ERROR(tx->realms().Update(r), ErrorCode::kVersionMismatch);
  ASSERT_STORE_OK(tx->Commit());
}

TEST_P(RealmRepoTest, UpdateOfUnknownRealmIsNotFoundAndTakenNameIsConflict) {
  core::Realm a = MakeRealm("a");
  MakeRealm("b");
  auto tx = Write();
  core::Realm ghost = a;
  ghost.id = NewId();
  EXPECT_STORE_ERROR(tx->realms().Update(ghost), ErrorCode::kNotFound);
  a.name = "b";
  EXPECT_STORE_ERROR(tx->realms().Update(a), ErrorCode::kConflict);
}

TEST_P(RealmRepoTest, DeleteRemovesTheRealmAndUnknownIsNotFound) {
  core::Realm r = MakeRealm("acme");
  auto tx = Write();
  ASSERT_STORE_OK(tx->realms().Delete(r.id));
  EXPECT_STORE_ERROR(tx->realms().Get(r.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->realms().Delete(r.id), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->Commit());
}

TEST_P(RealmRepoTest, DeleteCascadesToEverythingInTheRealm) {
  core::Realm r = MakeRealm("acme");
  core::Realm other = MakeRealm("other");
  core::User u = MakeUser(r.id, "alice", "alice@example.com");
  core::User keep = MakeUser(other.id, "alice", "alice@example.com");
  core::Group g = MakeGroup(r.id, "staff");
  core::Client c = MakeClient(r.id, "app");
  core::Role role = MakeRole(r.id, "admin");
  core::Role client_role = MakeRole(r.id, "viewer", c.id);
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->groups().AddMember(r.id, g.id, u.id));
    ASSERT_STORE_OK(tx->roles().Grant(r.id, core::RoleHolderKind::kUser, u.id, role.id));
    ASSERT_STORE_OK(tx->roles().AddComposite(r.id, role.id, client_role.id));
    ASSERT_STORE_OK(tx->users().SetPasswordHash(r.id, u.id, "$argon2id$x", 1));
    core::SigningKey k;
    k.kid = "k1";
    k.realm_id = r.id;
    k.alg = "ES256";
    ASSERT_STORE_OK(tx->keys().Insert(k));
    core::AuditEvent e;
    e.id = NewId();
    e.realm_id = r.id;
    e.type = "UserCreated";
    ASSERT_STORE_OK(tx->audit().Append(e));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto tx = Write();
  ASSERT_STORE_OK(tx->realms().Delete(r.id));
  EXPECT_STORE_ERROR(tx->users().Get(r.id, u.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->groups().Get(r.id, g.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->clients().Get(r.id, c.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->roles().Get(r.id, role.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->roles().Get(r.id, client_role.id), ErrorCode::kNotFound);
  auto keys = tx->keys().List(r.id);
  ASSERT_STORE_OK(keys);
  EXPECT_TRUE(keys->empty());
  auto events = tx->audit().List(r.id, 0, 100);
  ASSERT_STORE_OK(events);
  EXPECT_TRUE(events->empty());
  auto edges = tx->roles().ListAllCompositeEdges(r.id);
  ASSERT_STORE_OK(edges);
  EXPECT_TRUE(edges->empty());
  // The other realm is untouched.
  ASSERT_STORE_OK(tx->users().Get(other.id, keep.id));
  ASSERT_STORE_OK(tx->Commit());
}

}  // namespace
}  // namespace idm::store::testing
