// `idm export` from SQLite and `idm import` into PostgreSQL, through the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "idm/core/json.h"
#include "tests/integration/pg_support.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

TEST(Transfer, RealmMovesFromSqliteToPostgresWithUsersRolesAndClients) {
  auto pg = CreateTestDatabase();
  if (!pg) GTEST_SKIP() << "IDM_TEST_PG_URL not set: SQLite -> PostgreSQL round trip skipped";
  std::string dir = MakeTempDir("idm-transfer");
  std::map<std::string, std::string> env{{"IDM_KEK", NewKekHex()}};
  ServerProcess sqlite(dir, env);
  ASSERT_EQ(sqlite.Run({"realm", "create", "acme"}).exit_code, 0);
  ASSERT_EQ(sqlite.Run({"user", "create", "--realm", "acme", "alice", "--email", "a@example.com"})
                .exit_code, 0);
  ASSERT_EQ(sqlite.Run({"role", "create", "--realm", "acme", "viewer"}).exit_code, 0);
  ASSERT_EQ(sqlite.Run({"role", "grant", "--realm", "acme", "viewer", "--user", "alice"}).exit_code, 0);
  RunResult client = sqlite.Run({"client", "create", "--realm", "acme", "svc"});
  ASSERT_EQ(client.exit_code, 0) << client.output;
  std::string file = dir + "/acme.json";
  RunResult exported = sqlite.Run({"export", "--realm", "acme", "--out", file});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;

  auto pg_env = env;
  pg_env["IDM_DB"] = *pg;
  ServerProcess postgres(dir, pg_env);
  RunResult imported = postgres.Run({"import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  RunResult roles = postgres.Run({"user", "roles", "--realm", "acme", "alice"});
  ASSERT_EQ(roles.exit_code, 0) << roles.output;
  EXPECT_NE(roles.output.find("viewer"), std::string::npos) << roles.output;
  RunResult got = postgres.Run({"client", "get", "--realm", "acme", "svc"});
  EXPECT_EQ(got.exit_code, 0) << got.output;
  RunResult again = postgres.Run({"import", file});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("realm acme already exists"), std::string::npos) << again.output;
  DropTestDatabase(*pg);
  std::filesystem::remove_all(dir);
}

TEST(Cli, UnknownRealmIsAClearErrorWithExitStatusOne) {
  std::string dir = MakeTempDir("idm-cli");
  ServerProcess idm(dir, {{"IDM_KEK", NewKekHex()}});
  RunResult r = idm.Run({"realm", "get", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("not found"), std::string::npos) << r.output;
  r = idm.Run({"realm", "frobnicate"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = idm.Run({"version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("idm ", 0), 0u) << r.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace idm::testing
