#include "tests/integration/test_support.h"

#include <filesystem>
#include <random>

#include "tests/integration/pg_support.h"

namespace idm::testing {

std::string NewKekHex() {
  std::random_device rd;
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 64; ++i) out.push_back(kHex[rd() % 16]);
  return out;
}

std::map<std::string, std::string> BootstrapEnv(const std::string& kek_hex) {
  return {{"IDM_KEK", kek_hex},
          {"IDM_BOOTSTRAP_ADMIN_USERNAME", "admin"},
          {"IDM_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword},
          {"IDM_BOOTSTRAP_ADMIN_CLIENT_ID", kClientId},
          {"IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET", kClientSecret}};
}

std::string AdminToken(http::Client& client) {
  std::string body = "grant_type=client_credentials&client_id=" + std::string(kClientId) +
                     "&client_secret=" + std::string(kClientSecret);
  auto r = client.Post("/realms/master/protocol/openid-connect/token", body,
                       "application/x-www-form-urlencoded");
  if (!r) {
    ADD_FAILURE() << "token request failed: " << r.error().message;
    return "";
  }
  if (r->status != 200) {
    ADD_FAILURE() << "token request: " << r->status << " " << r->body;
    return "";
  }
  core::Json j = core::Json::parse(r->body, nullptr, false);
  return j.is_object() ? j.value("access_token", "") : "";
}

http::Result<http::ClientResponse> PostJson(http::Client& client, const std::string& target,
                                            const core::Json& body, const std::string& token) {
  http::Headers h{{"Authorization", "Bearer " + token}};
  return client.Post(target, body.dump(), "application/json", h);
}

http::Result<http::ClientResponse> GetWithToken(http::Client& client, const std::string& target,
                                                const std::string& token) {
  return client.Get(target, http::Headers{{"Authorization", "Bearer " + token}});
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

TestEnvironment::TestEnvironment(Backend backend)
    : dir_(MakeTempDir("idm-it")), kek_hex_(NewKekHex()) {
  if (backend == Backend::kPostgres) {
    pg_url_ = CreateTestDatabase();
    available_ = pg_url_.has_value();
  }
}

TestEnvironment::~TestEnvironment() {
  if (pg_url_) DropTestDatabase(*pg_url_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::map<std::string, std::string> TestEnvironment::env() const {
  auto env = BootstrapEnv(kek_hex_);
  if (pg_url_) env["IDM_DB"] = *pg_url_;
  return env;
}

}  // namespace idm::testing
