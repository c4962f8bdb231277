// PostgreSQL going away under a running server: /health/ready and the admin API answer 503 with a
// clear error while it is down, and the server recovers by itself when it is back. Uses a private
// cluster (tests/scripts/pg.sh) so stopping it disturbs no other test.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "tests/integration/pg_support.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

// Polls until the path answers `status` or the timeout passes; returns the last response.
http::ClientResponse WaitForStatus(http::Client& client, const std::string& path, int status,
                                   const std::string& token = "") {
  http::ClientResponse last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = token.empty() ? client.Get(path) : GetWithToken(client, path, token);
    if (r) {
      last = *r;
      if (r->status == status) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last;
}

TEST(PostgresOutage, ReadyAndAdminAnswer503WhileDownAndRecoverWhenBack) {
  if (std::getenv("IDM_TEST_PG_URL") == nullptr) GTEST_SKIP() << "IDM_TEST_PG_URL not set";
  std::string pg_dir = MakeTempDir("idm-pg-outage");
  auto url = PgScript("start", pg_dir);
  if (!url) GTEST_SKIP() << "tests/scripts/pg.sh could not start a private cluster";
  std::string dir = MakeTempDir("idm-outage");
  auto env = BootstrapEnv(NewKekHex());
  env["IDM_DB"] = *url;
  {
    ServerProcess server(dir, env);
    ASSERT_TRUE(server.Start()) << server.Output();
    http::Client client(server.base_url());
    std::string token = AdminToken(client);
    ASSERT_FALSE(token.empty());
    ASSERT_EQ(WaitForStatus(client, "/health/ready", 200).status, 200);

    ASSERT_TRUE(PgScript("pause", pg_dir));
    http::ClientResponse down = WaitForStatus(client, "/health/ready", 503);
    EXPECT_EQ(down.status, 503) << down.body;
    http::ClientResponse admin = WaitForStatus(client, "/admin/api/v1/realms", 503, token);
    EXPECT_EQ(admin.status, 503) << admin.body;
    EXPECT_NE(admin.body.find("unavailable"), std::string::npos) << admin.body;

    ASSERT_TRUE(PgScript("restart", pg_dir));
    EXPECT_EQ(WaitForStatus(client, "/health/ready", 200).status, 200);
    EXPECT_EQ(WaitForStatus(client, "/admin/api/v1/realms", 200, token).status, 200);
    EXPECT_EQ(server.Signal(SIGTERM), 0) << server.Output();
  }
  PgScript("stop", pg_dir);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace idm::testing
