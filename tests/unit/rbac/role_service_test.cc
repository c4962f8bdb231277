#include "idm/rbac/role_service.h"

#include <gtest/gtest.h>

#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::RoleHolderKind;
using core::ServiceErrorCode;

class RoleServiceTest : public ServiceTest {
 protected:
  core::Role MakeRole(const std::string& name, std::optional<std::string> client = std::nullopt) {
    core::Role draft;
    draft.name = name;
    draft.client_id = std::move(client);
    auto created = env_.roles_->Create(env_.ctx_, "acme", draft);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().detail);
    return created.ok() ? *created : core::Role{};
  }
  std::string MakeClient(const std::string& client_id) {
    core::Client c;
    c.client_id = client_id;
    c.grant_types = {"client_credentials"};
    auto created = env_.clients_->Create(env_.ctx_, "acme", c);
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->client.id : "";
  }
  core::ServiceStatus Compose(const core::Role& parent, const core::Role& child) {
    return env_.roles_->AddComposite(env_.ctx_, "acme", parent.id, child.id);
  }
};

TEST_F(RoleServiceTest, CreatesRealmAndClientRolesWithTheSameNameSeparately) {
  auto realm_role = MakeRole("viewer");
  auto client = MakeClient("api");
  auto client_role = MakeRole("viewer", client);
  EXPECT_NE(realm_role.id, client_role.id);
  EXPECT_EQ(client_role.client_id, client);
  EXPECT_EQ(env_.roles_->GetByName("acme", std::nullopt, "viewer")->id, realm_role.id);
  EXPECT_EQ(env_.roles_->GetByName("acme", client, "viewer")->id, client_role.id);
  EXPECT_EQ(env_.LastEventType("acme"), "RoleCreated");
}

TEST_F(RoleServiceTest, CreateRejectsDuplicatesBadNamesAndUnknownClients) {
  MakeRole("viewer");
  core::Role draft;
  draft.name = "viewer";
  EXPECT_EQ(env_.roles_->Create(env_.ctx_, "acme", draft).error().code,
            ServiceErrorCode::kAlreadyExists);
  draft.name = " padded";
  EXPECT_TRUE(HasViolation(env_.roles_->Create(env_.ctx_, "acme", draft).error(), "name"));
  draft.name = "";
  EXPECT_TRUE(HasViolation(env_.roles_->Create(env_.ctx_, "acme", draft).error(), "name"));
  draft.name = "ok";
  draft.description = std::string(1025, 'd');
  EXPECT_TRUE(HasViolation(env_.roles_->Create(env_.ctx_, "acme", draft).error(), "description"));
  draft.description.clear();
  draft.client_id = "no-such-client";
  EXPECT_EQ(env_.roles_->Create(env_.ctx_, "acme", draft).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(RoleServiceTest, UpdateRenamesWithVersionCheckAndDeleteRemoves) {
  auto role = MakeRole("viewer");
  core::Role changes = role;
  changes.name = "reader";
  auto updated = env_.roles_->Update(env_.ctx_, "acme", role.id, changes, 1);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(env_.LastEventType("acme"), "RoleUpdated");
  EXPECT_EQ(env_.roles_->Update(env_.ctx_, "acme", role.id, changes, 1).error().code,
            ServiceErrorCode::kPreconditionFailed);
  ASSERT_TRUE(env_.roles_->Delete(env_.ctx_, "acme", role.id).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "RoleDeleted");
  EXPECT_EQ(env_.roles_->Get("acme", role.id).error().code, ServiceErrorCode::kNotFound);
}

TEST_F(RoleServiceTest, ListsRealmRolesAndOneClientsRolesSeparately) {
  MakeRole("b");
  MakeRole("a");
  auto client = MakeClient("api");
  MakeRole("c", client);
  auto realm_roles = env_.roles_->List("acme", std::nullopt, store::ListQuery{});
  ASSERT_TRUE(realm_roles.ok());
  ASSERT_EQ(realm_roles->items.size(), 2u);
  EXPECT_EQ(realm_roles->items[0].name, "a");
  auto client_roles = env_.roles_->List("acme", client, store::ListQuery{});
  ASSERT_EQ(client_roles->items.size(), 1u);
  EXPECT_EQ(env_.roles_->List("acme", std::string("nope"), store::ListQuery{}).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(RoleServiceTest, CompositeCyclesAreRefused) {
  auto a = MakeRole("a");
  auto b = MakeRole("b");
  auto c = MakeRole("c");
  ASSERT_TRUE(Compose(a, b).ok());
  ASSERT_TRUE(Compose(b, c).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "CompositeAdded");
  for (const auto& [parent, child] : {std::pair{a, a}, std::pair{b, a}, std::pair{c, a}}) {
    auto r = Compose(parent, child);
    ASSERT_FALSE(r.ok()) << parent.name << "->" << child.name;
    EXPECT_EQ(r.error().code, ServiceErrorCode::kFailedPrecondition);
  }
  ASSERT_TRUE(Compose(a, c).ok());  // a diamond is not a cycle
  auto children = env_.roles_->ListComposites("acme", a.id);
  ASSERT_TRUE(children.ok());
  EXPECT_EQ(children->size(), 2u);
}

TEST_F(RoleServiceTest, RemoveCompositeAndItsErrors) {
  auto a = MakeRole("a");
  auto b = MakeRole("b");
  ASSERT_TRUE(Compose(a, b).ok());
  ASSERT_TRUE(env_.roles_->RemoveComposite(env_.ctx_, "acme", a.id, b.id).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "CompositeRemoved");
  EXPECT_EQ(env_.roles_->RemoveComposite(env_.ctx_, "acme", a.id, b.id).error().code,
            ServiceErrorCode::kNotFound);
  EXPECT_TRUE(Compose(b, a).ok());  // no longer a cycle
  EXPECT_EQ(env_.roles_->AddComposite(env_.ctx_, "acme", a.id, "ghost").error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(RoleServiceTest, GrantAndRevokeToUsersAndGroups) {
  auto role = MakeRole("viewer");
  auto user = env_.MakeUser("acme", "alice");
  core::Group gd;
  gd.name = "staff";
  auto group = *env_.groups_->Create(env_.ctx_, "acme", gd);
  ASSERT_TRUE(env_.roles_->Grant(env_.ctx_, "acme", RoleHolderKind::kUser, user.id, role.id).ok());
  ASSERT_TRUE(env_.roles_->Grant(env_.ctx_, "acme", RoleHolderKind::kUser, user.id, role.id).ok());
  ASSERT_TRUE(
      env_.roles_->Grant(env_.ctx_, "acme", RoleHolderKind::kGroup, group.id, role.id).ok());
  auto events = env_.Events("acme");
  EXPECT_EQ(events.back().type, "RoleGranted");
  EXPECT_EQ(events.back().resource_type, "group");
  EXPECT_EQ(env_.roles_->ListGranted("acme", RoleHolderKind::kUser, user.id)->size(), 1u);
  ASSERT_TRUE(env_.roles_->Revoke(env_.ctx_, "acme", RoleHolderKind::kUser, user.id, role.id).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "RoleRevoked");
  EXPECT_TRUE(env_.roles_->ListGranted("acme", RoleHolderKind::kUser, user.id)->empty());
  EXPECT_EQ(
      env_.roles_->Revoke(env_.ctx_, "acme", RoleHolderKind::kUser, user.id, role.id).error().code,
      ServiceErrorCode::kNotFound);
}

TEST_F(RoleServiceTest, GrantToUnknownHolderOrRoleIsNotFoundAndWritesNothing) {
  auto role = MakeRole("viewer");
  auto user = env_.MakeUser("acme", "alice");
  size_t before = env_.Events("acme").size();
  EXPECT_EQ(
      env_.roles_->Grant(env_.ctx_, "acme", RoleHolderKind::kUser, "ghost", role.id).error().code,
      ServiceErrorCode::kNotFound);
  EXPECT_EQ(
      env_.roles_->Grant(env_.ctx_, "acme", RoleHolderKind::kGroup, user.id, role.id).error().code,
      ServiceErrorCode::kNotFound);
  EXPECT_EQ(
      env_.roles_->Grant(env_.ctx_, "acme", RoleHolderKind::kUser, user.id, "ghost").error().code,
      ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.Events("acme").size(), before);
}

}  // namespace
}  // namespace idm::svctest
