// Contract: RoleRepo (store.h) — roles, composite edges and grants — on every backend.
#include <algorithm>

#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

using Kind = core::RoleHolderKind;

class RoleRepoTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!HasFatalFailure()) realm_ = MakeRealm("acme");
  }
  static std::vector<std::string> Names(const std::vector<core::Role>& roles) {
    std::vector<std::string> out;
    for (const auto& r : roles) out.push_back(r.name);
    return out;
  }
  core::Realm realm_;
};
IDM_STORE_SUITE(RoleRepoTest);

TEST_P(RoleRepoTest, CreatesRealmAndClientRolesAndReadsThemBack) {
  core::Client c = MakeClient(realm_.id, "app");
  core::Role realm_role = MakeRole(realm_.id, "admin");
  core::Role r;
  r.id = NewId();
  r.realm_id = realm_.id;
  r.client_id = c.id;
  r.name = "admin";  // the same name as a realm role is fine
  r.description = "App admin";
  r.require_mfa = true;
  auto tx = Write();
  auto created = tx->roles().Create(r);
  ASSERT_STORE_OK(created);
  EXPECT_EQ(created->version, 1);
  auto got = tx->roles().Get(realm_.id, r.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->client_id, c.id);
  EXPECT_EQ(got->description, "App admin");
  EXPECT_TRUE(got->require_mfa);  // migration 0007
  EXPECT_FALSE(realm_role.require_mfa);
  auto by_name = tx->roles().GetByName(realm_.id, c.id, "admin");
  ASSERT_STORE_OK(by_name);
  EXPECT_EQ(by_name->id, r.id);
  auto realm_by_name = tx->roles().GetByName(realm_.id, std::nullopt, "admin");
  ASSERT_STORE_OK(realm_by_name);
  EXPECT_EQ(realm_by_name->id, realm_role.id);
  EXPECT_FALSE(realm_by_name->client_id.has_value());
  EXPECT_STORE_ERROR(tx->roles().GetByName(realm_.id, std::nullopt, "nope"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->roles().Get(realm_.id, "nope"), ErrorCode::kNotFound);
}

TEST_P(RoleRepoTest, DuplicateNameInTheSameScopeIsConflictAndUnknownClientIsNotFound) {
  MakeRole(realm_.id, "admin");
  core::Role dup;
  dup.id = NewId();
  dup.realm_id = realm_.id;
  dup.name = "admin";
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->roles().Create(dup), ErrorCode::kConflict);
  tx.reset();  // a database error ends the transaction (store.h)
  dup.client_id = "no-such-client";
  EXPECT_STORE_ERROR(Write()->roles().Create(dup), ErrorCode::kNotFound);
}

TEST_P(RoleRepoTest, ListSeparatesRealmAndClientRolesPagesAndFiltersByPrefix) {
  core::Client c = MakeClient(realm_.id, "app");
  for (const char* n : {"e", "b", "d", "a", "c"}) MakeRole(realm_.id, n);
  MakeRole(realm_.id, "client-only", c.id);
  ListQuery q;
  q.limit = 2;
  std::vector<std::string> names;
  for (int guard = 0; guard < 5; ++guard) {
    auto page = Read()->roles().List(realm_.id, std::nullopt, q);
    ASSERT_STORE_OK(page);
    for (auto& r : page->items) names.push_back(r.name);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  auto client_roles = Read()->roles().List(realm_.id, c.id, {});
  ASSERT_STORE_OK(client_roles);
  EXPECT_EQ(Names(client_roles->items), (std::vector<std::string>{"client-only"}));
  ListQuery p;
  p.prefix = "D";
  auto found = Read()->roles().List(realm_.id, std::nullopt, p);
  ASSERT_STORE_OK(found);
  EXPECT_EQ(Names(found->items), (std::vector<std::string>{"d"}));
}

TEST_P(RoleRepoTest, UpdateChecksVersionAndNameUniqueness) {
  core::Role a = MakeRole(realm_.id, "a");
  MakeRole(realm_.id, "b");
  core::Role changed = a;
  changed.description = "new";
  changed.require_mfa = true;
  auto tx = Write();
  auto updated = tx->roles().Update(changed);
  ASSERT_STORE_OK(updated);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->description, "new");
  EXPECT_TRUE(updated->require_mfa);
  EXPECT_STORE_ERROR(tx->roles().Update(a), ErrorCode::kVersionMismatch);
  core::Role ghost = a;
  ghost.id = NewId();
  EXPECT_STORE_ERROR(tx->roles().Update(ghost), ErrorCode::kNotFound);
  core::Role clash = *updated;
  clash.name = "b";
  EXPECT_STORE_ERROR(tx->roles().Update(clash), ErrorCode::kConflict);
}

TEST_P(RoleRepoTest, CompositeEdgesAreIdempotentListedAndRemovable) {
  core::Role parent = MakeRole(realm_.id, "parent");
  core::Role c1 = MakeRole(realm_.id, "c1");
  core::Role c2 = MakeRole(realm_.id, "c2");
  auto tx = Write();
  ASSERT_STORE_OK(tx->roles().AddComposite(realm_.id, parent.id, c2.id));
  ASSERT_STORE_OK(tx->roles().AddComposite(realm_.id, parent.id, c1.id));
  ASSERT_STORE_OK(tx->roles().AddComposite(realm_.id, parent.id, c1.id));
  ASSERT_STORE_OK(tx->roles().AddComposite(realm_.id, c1.id, c2.id));
  EXPECT_STORE_ERROR(tx->roles().AddComposite(realm_.id, parent.id, "nope"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->roles().AddComposite(realm_.id, "nope", c1.id), ErrorCode::kNotFound);
  auto children = tx->roles().ListComposites(realm_.id, parent.id);
  ASSERT_STORE_OK(children);
  EXPECT_EQ(Names(*children), (std::vector<std::string>{"c1", "c2"}));
  auto edges = tx->roles().ListAllCompositeEdges(realm_.id);
  ASSERT_STORE_OK(edges);
  EXPECT_EQ(edges->size(), 3u);
  EXPECT_NE(std::find(edges->begin(), edges->end(), std::make_pair(c1.id, c2.id)), edges->end());
  ASSERT_STORE_OK(tx->roles().RemoveComposite(realm_.id, parent.id, c2.id));
  EXPECT_STORE_ERROR(tx->roles().RemoveComposite(realm_.id, parent.id, c2.id),
                     ErrorCode::kNotFound);
  children = tx->roles().ListComposites(realm_.id, parent.id);
  ASSERT_STORE_OK(children);
  EXPECT_EQ(Names(*children), (std::vector<std::string>{"c1"}));
}

TEST_P(RoleRepoTest, DeletingARoleRemovesItsEdgesAndGrants) {
  core::Role parent = MakeRole(realm_.id, "parent");
  core::Role child = MakeRole(realm_.id, "child");
  core::User u = MakeUser(realm_.id, "alice");
  auto tx = Write();
  ASSERT_STORE_OK(tx->roles().AddComposite(realm_.id, parent.id, child.id));
  ASSERT_STORE_OK(tx->roles().Grant(realm_.id, Kind::kUser, u.id, child.id));
  ASSERT_STORE_OK(tx->roles().Delete(realm_.id, child.id));
  EXPECT_STORE_ERROR(tx->roles().Delete(realm_.id, child.id), ErrorCode::kNotFound);
  auto edges = tx->roles().ListAllCompositeEdges(realm_.id);
  ASSERT_STORE_OK(edges);
  EXPECT_TRUE(edges->empty());
  auto granted = tx->roles().ListGranted(realm_.id, Kind::kUser, u.id);
  ASSERT_STORE_OK(granted);
  EXPECT_TRUE(granted->empty());
}

TEST_P(RoleRepoTest, GrantsToUsersAndGroupsAreIdempotentAndRevocable) {
  core::Role a = MakeRole(realm_.id, "a");
  core::Role b = MakeRole(realm_.id, "b");
  core::User u = MakeUser(realm_.id, "alice");
  core::Group g = MakeGroup(realm_.id, "staff");
  auto tx = Write();
  ASSERT_STORE_OK(tx->roles().Grant(realm_.id, Kind::kUser, u.id, b.id));
  ASSERT_STORE_OK(tx->roles().Grant(realm_.id, Kind::kUser, u.id, a.id));
  ASSERT_STORE_OK(tx->roles().Grant(realm_.id, Kind::kUser, u.id, a.id));
  ASSERT_STORE_OK(tx->roles().Grant(realm_.id, Kind::kGroup, g.id, b.id));
  auto user_roles = tx->roles().ListGranted(realm_.id, Kind::kUser, u.id);
  ASSERT_STORE_OK(user_roles);
  EXPECT_EQ(Names(*user_roles), (std::vector<std::string>{"a", "b"}));
  auto group_roles = tx->roles().ListGranted(realm_.id, Kind::kGroup, g.id);
  ASSERT_STORE_OK(group_roles);
  EXPECT_EQ(Names(*group_roles), (std::vector<std::string>{"b"}));
  ASSERT_STORE_OK(tx->roles().Revoke(realm_.id, Kind::kUser, u.id, a.id));
  EXPECT_STORE_ERROR(tx->roles().Revoke(realm_.id, Kind::kUser, u.id, a.id), ErrorCode::kNotFound);
  // A user id is not a group: the holder kind decides where the grant lives.
  EXPECT_STORE_ERROR(tx->roles().Revoke(realm_.id, Kind::kGroup, u.id, b.id), ErrorCode::kNotFound);
  user_roles = tx->roles().ListGranted(realm_.id, Kind::kUser, u.id);
  ASSERT_STORE_OK(user_roles);
  EXPECT_EQ(Names(*user_roles), (std::vector<std::string>{"b"}));
}

TEST_P(RoleRepoTest, GrantOfUnknownRoleOrHolderIsNotFound) {
  core::Role a = MakeRole(realm_.id, "a");
  core::User u = MakeUser(realm_.id, "alice");
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->roles().Grant(realm_.id, Kind::kUser, u.id, "nope"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->roles().Grant(realm_.id, Kind::kUser, "nope", a.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->roles().Grant(realm_.id, Kind::kGroup, u.id, a.id), ErrorCode::kNotFound);
}

TEST_P(RoleRepoTest, DeletingAClientRemovesItsRoles) {
  core::Client c = MakeClient(realm_.id, "app");
  core::Role r = MakeRole(realm_.id, "viewer", c.id);
  auto tx = Write();
  ASSERT_STORE_OK(tx->clients().Delete(realm_.id, c.id));
  EXPECT_STORE_ERROR(tx->roles().Get(realm_.id, r.id), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace idm::store::testing
