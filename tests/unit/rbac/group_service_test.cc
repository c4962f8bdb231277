#include "idm/rbac/group_service.h"

#include <gtest/gtest.h>

#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::ServiceErrorCode;

class GroupServiceTest : public ServiceTest {
 protected:
  core::Group MakeGroup(const std::string& name, std::optional<std::string> parent = {}) {
    core::Group draft;
    draft.name = name;
    draft.parent_id = std::move(parent);
    auto created = env_.groups_->Create(env_.ctx_, "acme", draft);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().detail);
    return created.ok() ? *created : core::Group{};
  }
  core::ServiceResult<core::Group> Move(const core::Group& g, std::optional<std::string> parent) {
    core::Group changes = g;
    changes.parent_id = std::move(parent);
    return env_.groups_->Update(env_.ctx_, "acme", g.id, changes, g.version);
  }
};

TEST_F(GroupServiceTest, CreatesNestedGroupsAndListsChildren) {
  auto eng = MakeGroup("eng");
  auto backend = MakeGroup("backend", eng.id);
  MakeGroup("frontend", eng.id);
  EXPECT_EQ(backend.parent_id, eng.id);
  EXPECT_EQ(env_.LastEventType("acme"), "GroupCreated");
  auto top = env_.groups_->List("acme", std::nullopt, store::ListQuery{});
  ASSERT_EQ(top->items.size(), 1u);
  auto children = env_.groups_->List("acme", eng.id, store::ListQuery{});
  ASSERT_EQ(children->items.size(), 2u);
  EXPECT_EQ(children->items[0].name, "backend");
}

TEST_F(GroupServiceTest, SiblingNamesAreUniqueButCousinsMayShareANames) {
  auto a = MakeGroup("a");
  auto b = MakeGroup("b");
  MakeGroup("team", a.id);
  MakeGroup("team", b.id);
  core::Group dup;
  dup.name = "team";
  dup.parent_id = a.id;
  EXPECT_EQ(env_.groups_->Create(env_.ctx_, "acme", dup).error().code,
            ServiceErrorCode::kAlreadyExists);
}

TEST_F(GroupServiceTest, CreateRejectsBadNamesAndUnknownParents) {
  core::Group draft;
  draft.name = "a/b";
  EXPECT_TRUE(HasViolation(env_.groups_->Create(env_.ctx_, "acme", draft).error(), "name"));
  draft.name = "ok";
  draft.parent_id = "ghost";
  EXPECT_EQ(env_.groups_->Create(env_.ctx_, "acme", draft).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(GroupServiceTest, MovingUnderItselfOrADescendantIsRefused) {
  auto a = MakeGroup("a");
  auto b = MakeGroup("b", a.id);
  auto c = MakeGroup("c", b.id);
  for (const auto& target : {a.id, b.id, c.id}) {
    auto r = Move(a, target);
    ASSERT_FALSE(r.ok()) << target;
    EXPECT_EQ(r.error().code, ServiceErrorCode::kFailedPrecondition);
  }
  auto other = MakeGroup("other");
  auto moved = Move(c, other.id);  // moving a leaf elsewhere is fine
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->parent_id, other.id);
  EXPECT_EQ(env_.LastEventType("acme"), "GroupUpdated");
  EXPECT_TRUE(Move(b, std::nullopt).ok());  // to the top level
}

TEST_F(GroupServiceTest, UpdateChecksVersionAndDeleteCascadesToDescendants) {
  auto a = MakeGroup("a");
  auto b = MakeGroup("b", a.id);
  core::Group changes = a;
  changes.name = "renamed";
  EXPECT_EQ(env_.groups_->Update(env_.ctx_, "acme", a.id, changes, 9).error().code,
            ServiceErrorCode::kPreconditionFailed);
  ASSERT_TRUE(env_.groups_->Delete(env_.ctx_, "acme", a.id).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "GroupDeleted");
  EXPECT_EQ(env_.groups_->Get("acme", b.id).error().code, ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.groups_->Delete(env_.ctx_, "acme", a.id).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(GroupServiceTest, MembersAreAddedListedAndRemoved) {
  auto g = MakeGroup("staff");
  auto other = MakeGroup("other");
  auto bob = env_.MakeUser("acme", "bob");
  auto alice = env_.MakeUser("acme", "alice");
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", g.id, bob.id).ok());
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", g.id, alice.id).ok());
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", g.id, alice.id).ok());  // idempotent
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", other.id, alice.id).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "MemberAdded");
  auto members = env_.groups_->ListMembers("acme", g.id, store::ListQuery{});
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->items.size(), 2u);
  EXPECT_EQ(members->items[0].username, "alice");
  auto groups = env_.groups_->ListUserGroups("acme", alice.id);
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].name, "other");
  ASSERT_TRUE(env_.groups_->RemoveMember(env_.ctx_, "acme", g.id, bob.id).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "MemberRemoved");
  EXPECT_EQ(env_.groups_->RemoveMember(env_.ctx_, "acme", g.id, bob.id).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(GroupServiceTest, MembershipCallsOnUnknownGroupsOrUsersAreNotFound) {
  auto g = MakeGroup("staff");
  auto alice = env_.MakeUser("acme", "alice");
  EXPECT_EQ(env_.groups_->AddMember(env_.ctx_, "acme", g.id, "ghost").error().code,
            ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.groups_->AddMember(env_.ctx_, "acme", "ghost", alice.id).error().code,
            ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.groups_->ListMembers("acme", "ghost", store::ListQuery{}).error().code,
            ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.groups_->ListUserGroups("acme", "ghost").error().code,
            ServiceErrorCode::kNotFound);
}

}  // namespace
}  // namespace idm::svctest
