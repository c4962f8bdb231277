// Contract: GroupRepo (store.h), on every backend.
#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

class GroupRepoTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!HasFatalFailure()) realm_ = MakeRealm("acme");
  }
  std::vector<std::string> Names(const std::vector<core::Group>& groups) {
    std::vector<std::string> out;
    for (const auto& g : groups) out.push_back(g.name);
    return out;
  }
  core::Realm realm_;
};
IDM_STORE_SUITE(GroupRepoTest);

TEST_P(GroupRepoTest, CreatesTopLevelAndChildGroupsWithAttributes) {
  core::Group top = MakeGroup(realm_.id, "Staff");
  core::Group g;
  g.id = NewId();
  g.realm_id = realm_.id;
  g.parent_id = top.id;
  g.name = "Engineering";
  g.attributes = {{"cost_center", {"42"}}};
  g.created_at = 7;
  auto tx = Write();
  auto created = tx->groups().Create(g);
  ASSERT_STORE_OK(created);
  EXPECT_EQ(created->version, 1);
  auto got = tx->groups().Get(realm_.id, g.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->parent_id, top.id);
  EXPECT_EQ(got->name, "Engineering");
  EXPECT_EQ(got->attributes, g.attributes);
  EXPECT_EQ(got->created_at, 7);
  auto top_got = tx->groups().Get(realm_.id, top.id);
  ASSERT_STORE_OK(top_got);
  EXPECT_FALSE(top_got->parent_id.has_value());
}

TEST_P(GroupRepoTest, UnknownParentIsNotFound) {
  core::Group g;
  g.id = NewId();
  g.realm_id = realm_.id;
  g.parent_id = "nope";
  g.name = "x";
  EXPECT_STORE_ERROR(Write()->groups().Create(g), ErrorCode::kNotFound);
}

TEST_P(GroupRepoTest, SiblingNamesAreUniqueCaseInsensitivelyButCousinsMayShareThem) {
  core::Group a = MakeGroup(realm_.id, "a");
  core::Group b = MakeGroup(realm_.id, "b");
  MakeGroup(realm_.id, "team", a.id);
  core::Group dup;
  dup.id = NewId();
  dup.realm_id = realm_.id;
  dup.parent_id = a.id;
  dup.name = "TEAM";
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->groups().Create(dup), ErrorCode::kConflict);
  tx.reset();
  MakeGroup(realm_.id, "team", b.id);
  MakeGroup(realm_.id, "team");  // top level is its own sibling set
  core::Group top_dup = dup;
  top_dup.id = NewId();
  top_dup.parent_id.reset();
  EXPECT_STORE_ERROR(Write()->groups().Create(top_dup), ErrorCode::kConflict);
}

TEST_P(GroupRepoTest, ListShowsOneLevelInNameOrderWithPagingAndPrefix) {
  core::Group parent = MakeGroup(realm_.id, "parent");
  for (const char* n : {"delta", "Alpha", "charlie", "bravo", "echo"}) {
    MakeGroup(realm_.id, n, parent.id);
  }
  ListQuery q;
  q.limit = 2;
  std::vector<std::string> names;
  for (int guard = 0; guard < 5; ++guard) {
    auto page = Read()->groups().List(realm_.id, parent.id, q);
    ASSERT_STORE_OK(page);
    for (auto& g : page->items) names.push_back(g.name);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Alpha", "bravo", "charlie", "delta", "echo"}));
  auto top = Read()->groups().List(realm_.id, std::nullopt, {});
  ASSERT_STORE_OK(top);
  EXPECT_EQ(Names(top->items), (std::vector<std::string>{"parent"}));
  ListQuery p;
  p.prefix = "CH";
  auto found = Read()->groups().List(realm_.id, parent.id, p);
  ASSERT_STORE_OK(found);
  EXPECT_EQ(Names(found->items), (std::vector<std::string>{"charlie"}));
  ListQuery wrong;
  wrong.cursor = q.cursor.empty() ? "x" : q.cursor;
  EXPECT_STORE_ERROR(Read()->groups().List(realm_.id, std::nullopt, wrong), ErrorCode::kInvalid);
}

TEST_P(GroupRepoTest, ListAllReturnsEveryGroupOfTheRealm) {
  core::Group a = MakeGroup(realm_.id, "a");
  MakeGroup(realm_.id, "b", a.id);
  core::Realm other = MakeRealm("other");
  MakeGroup(other.id, "c");
  auto all = Read()->groups().ListAll(realm_.id);
  ASSERT_STORE_OK(all);
  EXPECT_EQ(Names(*all), (std::vector<std::string>{"a", "b"}));
}

TEST_P(GroupRepoTest, UpdateMovesAndRenamesWithVersionCheck) {
  core::Group a = MakeGroup(realm_.id, "a");
  core::Group b = MakeGroup(realm_.id, "b");
  core::Group moved = b;
  moved.parent_id = a.id;
  moved.name = "b2";
  auto tx = Write();
  auto updated = tx->groups().Update(moved);
  ASSERT_STORE_OK(updated);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->parent_id, a.id);
  EXPECT_EQ(updated->name, "b2");
  EXPECT_STORE_ERROR(tx->groups().Update(b), ErrorCode::kVersionMismatch);
  core::Group ghost = b;
  ghost.id = NewId();
  EXPECT_STORE_ERROR(tx->groups().Update(ghost), ErrorCode::kNotFound);
  core::Group bad_parent = *updated;
  bad_parent.parent_id = "nope";
  EXPECT_STORE_ERROR(tx->groups().Update(bad_parent), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->Commit());
}

TEST_P(GroupRepoTest, RenameToSiblingNameIsConflict) {
  MakeGroup(realm_.id, "a");
  core::Group b = MakeGroup(realm_.id, "b");
  b.name = "A";
  EXPECT_STORE_ERROR(Write()->groups().Update(b), ErrorCode::kConflict);
}

TEST_P(GroupRepoTest, DeleteRemovesDescendantsMembershipsAndGrants) {
  core::Group a = MakeGroup(realm_.id, "a");
  core::Group b = MakeGroup(realm_.id, "b", a.id);
  core::Group c = MakeGroup(realm_.id, "c", b.id);
  core::Group keep = MakeGroup(realm_.id, "keep");
  core::User u = MakeUser(realm_.id, "alice");
  core::Role r = MakeRole(realm_.id, "admin");
  auto tx = Write();
  ASSERT_STORE_OK(tx->groups().AddMember(realm_.id, c.id, u.id));
  ASSERT_STORE_OK(tx->roles().Grant(realm_.id, core::RoleHolderKind::kGroup, c.id, r.id));
  ASSERT_STORE_OK(tx->groups().Delete(realm_.id, a.id));
  EXPECT_STORE_ERROR(tx->groups().Get(realm_.id, b.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->groups().Get(realm_.id, c.id), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->groups().Get(realm_.id, keep.id));
  auto groups = tx->groups().ListUserGroups(realm_.id, u.id);
  ASSERT_STORE_OK(groups);
  EXPECT_TRUE(groups->empty());
  auto granted = tx->roles().ListGranted(realm_.id, core::RoleHolderKind::kGroup, c.id);
  ASSERT_STORE_OK(granted);
  EXPECT_TRUE(granted->empty());
  EXPECT_STORE_ERROR(tx->groups().Delete(realm_.id, a.id), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->users().Get(realm_.id, u.id));  // users are not group children
}

TEST_P(GroupRepoTest, MembershipIsIdempotentAndChecksBothEnds) {
  core::Group g = MakeGroup(realm_.id, "staff");
  core::Group h = MakeGroup(realm_.id, "ops");
  core::User u = MakeUser(realm_.id, "alice");
  auto tx = Write();
  ASSERT_STORE_OK(tx->groups().AddMember(realm_.id, g.id, u.id));
  ASSERT_STORE_OK(tx->groups().AddMember(realm_.id, g.id, u.id));
  ASSERT_STORE_OK(tx->groups().AddMember(realm_.id, h.id, u.id));
  EXPECT_STORE_ERROR(tx->groups().AddMember(realm_.id, "nope", u.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->groups().AddMember(realm_.id, g.id, "nope"), ErrorCode::kNotFound);
  auto groups = tx->groups().ListUserGroups(realm_.id, u.id);
  ASSERT_STORE_OK(groups);
  EXPECT_EQ(Names(*groups), (std::vector<std::string>{"ops", "staff"}));
  ASSERT_STORE_OK(tx->groups().RemoveMember(realm_.id, g.id, u.id));
  EXPECT_STORE_ERROR(tx->groups().RemoveMember(realm_.id, g.id, u.id), ErrorCode::kNotFound);
  groups = tx->groups().ListUserGroups(realm_.id, u.id);
  ASSERT_STORE_OK(groups);
  EXPECT_EQ(Names(*groups), (std::vector<std::string>{"ops"}));
}

TEST_P(GroupRepoTest, MembershipAcrossRealmsIsNotFound) {
  core::Group g = MakeGroup(realm_.id, "staff");
  core::Realm other = MakeRealm("other");
  core::User stranger = MakeUser(other.id, "mallory");
  EXPECT_STORE_ERROR(Write()->groups().AddMember(realm_.id, g.id, stranger.id),
                     ErrorCode::kNotFound);
}

TEST_P(GroupRepoTest, ListMembersPagesInUsernameOrderWithPrefix) {
  core::Group g = MakeGroup(realm_.id, "staff");
  std::vector<std::string> ids;
  {
    auto tx = Write();
    for (int i = 0; i < 7; ++i) {
      core::User u = NewUserValue(realm_.id, "member" + std::to_string(7 - i));
      ASSERT_STORE_OK(tx->users().Create(u));
      ASSERT_STORE_OK(tx->groups().AddMember(realm_.id, g.id, u.id));
    }
    ASSERT_STORE_OK(tx->users().Create(NewUserValue(realm_.id, "outsider")));
    ASSERT_STORE_OK(tx->Commit());
  }
  ListQuery q;
  q.limit = 3;
  std::vector<std::string> names;
  for (int guard = 0; guard < 5; ++guard) {
    auto page = Read()->groups().ListMembers(realm_.id, g.id, q);
    ASSERT_STORE_OK(page);
    for (auto& u : page->items) names.push_back(u.username);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  ASSERT_EQ(names.size(), 7u);
  EXPECT_EQ(names.front(), "member1");
  EXPECT_EQ(names.back(), "member7");
  ListQuery p;
  p.prefix = "MEMBER3";
  auto found = Read()->groups().ListMembers(realm_.id, g.id, p);
  ASSERT_STORE_OK(found);
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].username, "member3");
  EXPECT_STORE_ERROR(Read()->groups().ListMembers(realm_.id, "nope", {}), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace idm::store::testing
