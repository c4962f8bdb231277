// `idm serve` end to end, on SQLite and (with IDM_TEST_PG_URL) PostgreSQL: readiness, the
// bootstrap client's client-credentials token calling the admin API, graceful shutdown,
// request-size limits.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

class Serve : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
  }
  std::unique_ptr<TestEnvironment> env_;
};

TEST_P(Serve, IsLiveAndReadyAfterAFirstStart) {
  ServerProcess server(env_->dir(), env_->env());
  ASSERT_TRUE(server.Start()) << server.Output();
  http::Client client(server.base_url());
  auto live = client.Get("/health/live");
  ASSERT_TRUE(live) << live.error().message;
  EXPECT_EQ(live->status, 200);
  auto ready = client.Get("/health/ready");
  ASSERT_TRUE(ready) << ready.error().message;
  EXPECT_EQ(ready->status, 200) << ready->body;
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("idm_build_info"), std::string::npos);
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.Output();
}

TEST_P(Serve, BootstrapClientTokenCreatesRealmAndUserThroughTheAdminApi) {
  ServerProcess server(env_->dir(), env_->env());
  ASSERT_TRUE(server.Start()) << server.Output();
  http::Client client(server.base_url());
  std::string token = AdminToken(client);
  ASSERT_FALSE(token.empty()) << server.Output();

  auto realm = PostJson(client, "/admin/api/v1/realms", {{"name", "acme"}}, token);
  ASSERT_TRUE(realm) << realm.error().message;
  EXPECT_EQ(realm->status, 201) << realm->body;
  auto user = PostJson(client, "/admin/api/v1/realms/acme/users",
                       {{"username", "alice"}, {"email", "alice@example.com"}}, token);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->status, 201) << user->body;
  auto listed = GetWithToken(client, "/admin/api/v1/realms/acme/users?q=ali", token);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_NE(listed->body.find("alice"), std::string::npos) << listed->body;

  auto no_token = client.Post("/admin/api/v1/realms", R"({"name":"x"})", "application/json");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401);
  EXPECT_EQ(server.Signal(SIGTERM), 0);
}

TEST_P(Serve, KeepsItsDataAcrossARestart) {
  {
    ServerProcess first(env_->dir(), env_->env());
    ASSERT_TRUE(first.Start()) << first.Output();
    http::Client client(first.base_url());
    std::string token = AdminToken(client);
    auto realm = PostJson(client, "/admin/api/v1/realms", {{"name", "kept"}}, token);
    ASSERT_TRUE(realm);
    ASSERT_EQ(realm->status, 201) << realm->body;
    ASSERT_EQ(first.Signal(SIGTERM), 0);
  }
  ServerProcess second(env_->dir(), env_->env());
  ASSERT_TRUE(second.Start()) << second.Output();
  http::Client client(second.base_url());
  std::string token = AdminToken(client);
  auto got = GetWithToken(client, "/admin/api/v1/realms/kept", token);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200) << got->body;
}

TEST_P(Serve, RejectsAnOversizeBodyWith413) {
  auto env = env_->env();
  env["IDM_MAX_BODY_BYTES"] = "2048";
  ServerProcess server(env_->dir(), env);
  ASSERT_TRUE(server.Start()) << server.Output();
  http::Client client(server.base_url());
  auto r = client.Post("/admin/api/v1/realms", std::string(64 * 1024, 'x'), "application/json");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 413);
  auto after = client.Get("/health/live");  // the server keeps serving
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

// Opens a TCP connection to the server and sends `text` (no response read).
int SendRaw(int port, const std::string& text) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
  return fd;
}

TEST_P(Serve, SigtermLetsAnInFlightRequestFinishThenExitsZero) {
  ServerProcess server(env_->dir(), env_->env());
  ASSERT_TRUE(server.Start()) << server.Output();
  // A request whose body is still arriving when SIGTERM comes.
  std::string body = R"({"name":"late"})";
  int fd = SendRaw(server.port(), "POST /admin/api/v1/realms HTTP/1.1\r\nHost: t\r\n"
                                  "Content-Type: application/json\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 4));
  ASSERT_GE(fd, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(server.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::send(fd, body.data() + 4, body.size() - 4, MSG_NOSIGNAL);
  std::string response(4096, '\0');
  ssize_t n = ::recv(fd, response.data(), response.size(), 0);
  ::close(fd);
  ASSERT_GT(n, 0) << "the in-flight request got no response";
  response.resize(static_cast<size_t>(n));
  // A complete answer (whatever its status: the request carries no token).
  EXPECT_EQ(response.rfind("HTTP/1.1 ", 0), 0u) << response;
  EXPECT_NE(response.find("\r\n\r\n"), std::string::npos) << response;
  EXPECT_EQ(server.Wait(std::chrono::seconds(30)), 0) << server.Output();
}

INSTANTIATE_TEST_SUITE_P(Backends, Serve, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace idm::testing
