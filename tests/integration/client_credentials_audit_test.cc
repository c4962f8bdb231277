// Client-credentials issuance is audited through the batched audit writer of `idm serve`
// (docs/design/014, "Client-credentials audit"): the event becomes readable through the admin
// audit API, and a server stopped with SIGTERM writes what is still queued. SQLite and (with
// IDM_TEST_PG_URL) PostgreSQL.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "idm/crypto/encoding.h"
#include "idm/store/store.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

using core::Json;

class ClientCredentialsAudit : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<TestEnvironment>(GetParam());
    if (!env_->available()) GTEST_SKIP() << "IDM_TEST_PG_URL not set: PostgreSQL run skipped";
    server_ = std::make_unique<ServerProcess>(env_->dir(), env_->env());
    ASSERT_TRUE(server_->Start()) << server_->Output();
    client_ = std::make_unique<http::Client>(server_->base_url());
    admin_ = AdminToken(*client_);
    ASSERT_FALSE(admin_.empty());
    auto realm = PostJson(*client_, "/admin/api/v1/realms", {{"name", "acme"}}, admin_);
    ASSERT_TRUE(realm);
    ASSERT_EQ(realm->status, 201) << realm->body;
    realm_id_ = Json::parse(realm->body)["id"];
    Json draft = {{"client_id", "svc"},
                  {"name", "svc"},
                  {"type", "confidential"},
                  {"grant_types", {"client_credentials"}},
                  {"scopes", {"read"}}};
    auto c = PostJson(*client_, "/admin/api/v1/realms/acme/clients", draft, admin_);
    ASSERT_TRUE(c);
    ASSERT_EQ(c->status, 201) << c->body;
    secret_ = Json::parse(c->body)["client_secret"];
  }
  void TearDown() override {
    if (server_ && running_) server_->Signal(SIGTERM);
  }

  // A client-credentials token of svc; its jti.
  std::string IssueToken() {
    auto r = client_->Post("/realms/acme/protocol/openid-connect/token",
                           "grant_type=client_credentials&scope=read&client_id=svc&client_secret=" +
                               secret_,
                           "application/x-www-form-urlencoded");
    EXPECT_TRUE(r);
    if (!r) return "";
    EXPECT_EQ(r->status, 200) << r->body;
    std::string token = Json::parse(r->body).value("access_token", "");
    size_t a = token.find('.');
    size_t b = token.find('.', a + 1);
    if (a == std::string::npos || b == std::string::npos) return "";
    std::string payload = token.substr(a + 1, b - a - 1);
    auto decoded = crypto::Base64UrlDecode(payload);
    return decoded ? Json::parse(*decoded).value("jti", "") : "";
  }

  // The AccessTokenIssued events of realm acme read through the admin API.
  std::vector<Json> IssuedEventsViaAdminApi() {
    std::vector<Json> out;
    auto r = GetWithToken(*client_, "/admin/api/v1/realms/acme/audit-events?limit=1000", admin_);
    EXPECT_TRUE(r);
    if (!r) return out;
    EXPECT_EQ(r->status, 200) << r->body;
    if (r->status != 200) return out;
    const Json body = Json::parse(r->body);  // named: the loop must not range over a temporary
    for (const Json& e : body["items"]) {
      if (e["type"] == "AccessTokenIssued") out.push_back(e);
    }
    return out;
  }

  std::unique_ptr<TestEnvironment> env_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> client_;
  bool running_ = true;
  std::string admin_;
  std::string realm_id_;
  std::string secret_;
};

TEST_P(ClientCredentialsAudit, IssuedTokenYieldsAnAuditEventReadableThroughTheAdminApi) {
  std::string jti = IssueToken();
  ASSERT_FALSE(jti.empty());
  // The writer flushes every 200 ms; allow a loaded machine a few seconds.
  std::vector<Json> events;
  for (int i = 0; i < 50 && events.empty(); ++i) {
    events = IssuedEventsViaAdminApi();
    if (events.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["actor"], "client:svc");
  EXPECT_EQ(events[0]["resource_type"], "client");
  EXPECT_EQ(events[0]["details"]["client_id"], "svc");
  EXPECT_EQ(events[0]["details"]["grant"], "client_credentials");
  EXPECT_EQ(events[0]["details"]["scope"], "read");
  EXPECT_EQ(events[0]["details"]["jti"], jti);
  EXPECT_EQ(events[0]["details"].dump().find(secret_), std::string::npos);
}

TEST_P(ClientCredentialsAudit, ServerStoppedWithSigtermWritesQueuedEvents) {
  std::vector<std::string> jtis;
  for (int i = 0; i < 5; ++i) jtis.push_back(IssueToken());
  ASSERT_EQ(server_->Signal(SIGTERM), 0) << server_->Output();
  running_ = false;
  std::map<std::string, std::string> env = env_->env();
  std::string url = env.count("IDM_DB") ? env["IDM_DB"] : "sqlite:" + env_->dir() + "/idm.db";
  auto store = store::Open(url, store::OpenOptions{});
  ASSERT_TRUE(store) << store.error().message;
  auto tx = (*store)->Begin(store::TxMode::kReadOnly);
  ASSERT_TRUE(tx);
  auto events = (*tx)->audit().List(realm_id_, 0, 1000);
  ASSERT_TRUE(events);
  std::vector<std::string> stored;
  for (const core::AuditEvent& e : *events) {
    if (e.type == "AccessTokenIssued") stored.push_back(Json::parse(e.details)["jti"]);
  }
  EXPECT_EQ(stored, jtis);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClientCredentialsAudit,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace idm::testing
