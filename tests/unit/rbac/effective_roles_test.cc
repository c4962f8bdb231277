#include "idm/rbac/effective_roles.h"

#include <gtest/gtest.h>

#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::RoleHolderKind;
using core::ServiceErrorCode;
using Names = std::vector<std::string>;

class EffectiveRolesTest : public ServiceTest {
 protected:
  core::Role Role(const std::string& name, std::optional<std::string> client = {}) {
    core::Role d;
    d.name = name;
    d.client_id = std::move(client);
    auto r = env_.roles_->Create(env_.ctx_, "acme", d);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : core::Role{};
  }
  core::Group Group(const std::string& name, std::optional<std::string> parent = {}) {
    core::Group d;
    d.name = name;
    d.parent_id = std::move(parent);
    auto g = env_.groups_->Create(env_.ctx_, "acme", d);
    EXPECT_TRUE(g.ok());
    return g.ok() ? *g : core::Group{};
  }
  std::string Client(const std::string& client_id) {
    core::Client c;
    c.client_id = client_id;
    c.grant_types = {"client_credentials"};
    return env_.clients_->Create(env_.ctx_, "acme", c)->client.id;
  }
  void Grant(RoleHolderKind kind, const std::string& holder, const core::Role& role) {
    ASSERT_TRUE(env_.roles_->Grant(env_.ctx_, "acme", kind, holder, role.id).ok());
  }
  void Compose(const core::Role& parent, const core::Role& child) {
    ASSERT_TRUE(env_.roles_->AddComposite(env_.ctx_, "acme", parent.id, child.id).ok());
  }
  rbac::EffectiveRoleSet Resolve(const std::string& user_id) {
    auto r = rbac::EffectiveRoles(*env_.store_, "acme", user_id);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? *r : rbac::EffectiveRoleSet{};
  }
};

TEST_F(EffectiveRolesTest, UserWithoutGrantsHasNoRoles) {
  auto user = env_.MakeUser("acme", "alice");
  auto set = Resolve(user.id);
  EXPECT_TRUE(set.realm_roles.empty());
  EXPECT_TRUE(set.client_roles.empty());
}

TEST_F(EffectiveRolesTest, CombinesDirectGrantsNestedGroupAncestorsCompositesAndClientRoles) {
  auto user = env_.MakeUser("acme", "alice");
  auto api = Client("api");
  auto web = Client("web");
  auto direct = Role("direct");
  auto from_leaf = Role("from-leaf");
  auto from_root = Role("from-root");
  auto inner = Role("inner");
  auto deep = Role("deep");
  auto api_read = Role("read", api);
  auto api_write = Role("write", api);
  auto web_admin = Role("admin", web);
  Role("unrelated");
  auto root = Group("root");
  auto mid = Group("mid", root.id);
  auto leaf = Group("leaf", mid.id);
  Group("sibling", root.id);
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", leaf.id, user.id).ok());

  Grant(RoleHolderKind::kUser, user.id, direct);
  Grant(RoleHolderKind::kGroup, leaf.id, from_leaf);
  Grant(RoleHolderKind::kGroup, root.id, from_root);  // reached through the ancestors of leaf
  Compose(from_root, inner);
  Compose(inner, deep);                             // transitively
  Compose(inner, api_read);                         // a realm role including a client role
  Compose(api_write, web_admin);                    // not granted: must not appear
  Grant(RoleHolderKind::kUser, user.id, api_read);  // granted twice over: listed once

  auto set = Resolve(user.id);
  EXPECT_EQ(set.realm_roles, (Names{"deep", "direct", "from-leaf", "from-root", "inner"}));
  ASSERT_EQ(set.client_roles.size(), 1u);
  EXPECT_EQ(set.client_roles.at("api"), (Names{"read"}));
}

TEST_F(EffectiveRolesTest, RolesOfGroupsTheUserIsNotInDoNotLeak) {
  auto user = env_.MakeUser("acme", "alice");
  auto root = Group("root");
  auto child = Group("child", root.id);
  auto r = Role("child-only");
  Grant(RoleHolderKind::kGroup, child.id, r);
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", root.id, user.id).ok());
  EXPECT_TRUE(Resolve(user.id).realm_roles.empty());  // roles flow down to members, not up
}

TEST_F(EffectiveRolesTest, TerminatesOnACycleThatGotIntoTheData) {
  auto user = env_.MakeUser("acme", "alice");
  auto a = Role("a");
  auto b = Role("b");
  auto c = Role("c");
  Compose(a, b);
  Compose(b, c);
  {  // Bypass the service's cycle check, as a bad import or manual SQL could.
    auto tx = env_.store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->roles().AddComposite(acme_.id, c.id, a.id).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  Grant(RoleHolderKind::kUser, user.id, b);
  EXPECT_EQ(Resolve(user.id).realm_roles, (Names{"a", "b", "c"}));
}

TEST_F(EffectiveRolesTest, OutputIsSortedAndStableAcrossCalls) {
  auto user = env_.MakeUser("acme", "alice");
  for (const char* name : {"zeta", "alpha", "Mid", "beta"}) {
    Grant(RoleHolderKind::kUser, user.id, Role(name));
  }
  auto first = Resolve(user.id);
  EXPECT_EQ(first.realm_roles, (Names{"Mid", "alpha", "beta", "zeta"}));
  EXPECT_EQ(Resolve(user.id).realm_roles, first.realm_roles);
}

TEST_F(EffectiveRolesTest, UnknownUserOrRealmIsNotFound) {
  EXPECT_EQ(rbac::EffectiveRoles(*env_.store_, "acme", "ghost").error().code,
            ServiceErrorCode::kNotFound);
  auto user = env_.MakeUser("acme", "alice");
  EXPECT_EQ(rbac::EffectiveRoles(*env_.store_, "nope", user.id).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(EffectiveRolesTest, WorksInsideTheCallersTransaction) {
  auto user = env_.MakeUser("acme", "alice");
  Grant(RoleHolderKind::kUser, user.id, Role("viewer"));
  auto tx = env_.store_->Begin(store::TxMode::kReadOnly);
  ASSERT_TRUE(tx.ok());
  auto set = rbac::EffectiveRoles(**tx, acme_.id, user.id);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->realm_roles, (Names{"viewer"}));
}

}  // namespace
}  // namespace idm::svctest

namespace idm::svctest {
namespace {

// docs/design/020: a role with require_mfa counts wherever the user gets it from, here inside a
// composite role granted to a parent group of the user's group.
TEST_F(EffectiveRolesTest, RequireMfaOfAComposedRoleHeldThroughAParentGroupIsReported) {
  auto user = env_.MakeUser("acme", "alice");
  auto other = env_.MakeUser("acme", "bob");
  core::Role d;
  d.name = "payments-admin";
  d.require_mfa = true;
  auto strict = env_.roles_->Create(env_.ctx_, "acme", d);
  ASSERT_TRUE(strict.ok());
  auto bundle = Role("finance");
  Compose(bundle, *strict);
  auto root = Group("finance");
  auto team = Group("team", root.id);
  ASSERT_TRUE(env_.groups_->AddMember(env_.ctx_, "acme", team.id, user.id).ok());
  Grant(RoleHolderKind::kGroup, root.id, bundle);
  Grant(RoleHolderKind::kUser, other.id, Role("viewer"));
  EXPECT_TRUE(Resolve(user.id).require_mfa);
  EXPECT_FALSE(Resolve(other.id).require_mfa);
}

}  // namespace
}  // namespace idm::svctest
