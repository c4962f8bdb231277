// First-start bootstrap (idm/app/bootstrap.h) on a real SQLite store.
#include "idm/app/bootstrap.h"

#include "idm/rbac/effective_roles.h"
#include "tests/unit/app/app_fixture.h"

namespace idm::app {
namespace {

constexpr char kSecret[] = "bootstrap-client-secret-0123456789abcdef";

class BootstrapTest : public AppTest {
 protected:
  std::unique_ptr<Runtime> WithEnv(std::map<std::string, std::string> env) {
    return OpenRuntime(dir_ + "/boot.db", std::move(env));
  }
};

TEST_F(BootstrapTest, CreatesMasterAdminWithAGeneratedPasswordOnlyOnce) {
  auto rt = WithEnv({});
  auto first = Bootstrap(*rt);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_TRUE(first->ran);
  EXPECT_TRUE(first->created_admin);
  ASSERT_GE(first->generated_password.size(), 20u);
  auto admin = rt->users().VerifyPassword("master", "admin", first->generated_password);
  ASSERT_TRUE(admin) << "the generated password does not log in";
  auto roles = rbac::EffectiveRoles(rt->store(), "master", admin->id);
  EXPECT_EQ(roles->realm_roles, std::vector<std::string>{"admin"});

  auto second = Bootstrap(*rt);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->ran);
  EXPECT_TRUE(second->generated_password.empty());
}

TEST_F(BootstrapTest, UsesTheConfiguredPasswordAndCreatesTheAdminClientWithServiceAccount) {
  auto rt = WithEnv({{"IDM_BOOTSTRAP_ADMIN_USERNAME", "root"},
                     {"IDM_BOOTSTRAP_ADMIN_PASSWORD", "configured admin password"},
                     {"IDM_BOOTSTRAP_ADMIN_CLIENT_ID", "ops"},
                     {"IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET", kSecret}});
  auto out = Bootstrap(*rt);
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_TRUE(out->generated_password.empty());
  EXPECT_TRUE(out->created_client);
  EXPECT_TRUE(rt->users().VerifyPassword("master", "root", "configured admin password"));
  auto client = rt->clients().Authenticate("master", "ops", kSecret);
  ASSERT_TRUE(client) << client.error().detail;
  EXPECT_EQ(client->grant_types, std::vector<std::string>{"client_credentials"});
  auto sa = rt->users().GetByUsername("master", "service-account-ops");
  ASSERT_TRUE(sa);
  auto roles = rbac::EffectiveRoles(rt->store(), "master", sa->id);
  EXPECT_EQ(roles->realm_roles, std::vector<std::string>{"admin"});
}

TEST_F(BootstrapTest, CompletesAnInterruptedBootstrapWithoutDuplicates) {
  auto rt = WithEnv({{"IDM_BOOTSTRAP_ADMIN_PASSWORD", "configured admin password"}});
  core::Realm master;
  master.name = "master";
  ASSERT_TRUE(rt->realms().Create(rt->CliContext(), master));  // a start that stopped here
  auto out = Bootstrap(*rt);
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_TRUE(out->created_admin);
  EXPECT_TRUE(rt->users().VerifyPassword("master", "admin", "configured admin password"));
}

TEST_F(BootstrapTest, RejectsAPasswordThatBreaksTheMasterPolicy) {
  auto rt = WithEnv({{"IDM_BOOTSTRAP_ADMIN_PASSWORD", "short"}});
  auto out = Bootstrap(*rt);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, core::ServiceErrorCode::kInvalidArgument);
  auto again = Bootstrap(*rt);  // not marked done: a corrected restart completes it
  EXPECT_FALSE(again);
}

}  // namespace
}  // namespace idm::app
