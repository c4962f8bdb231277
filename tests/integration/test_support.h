// Shared pieces of the integration suites: a per-test data directory and KEK, the bootstrap
// environment, the backend parameter (SQLite always, PostgreSQL when IDM_TEST_PG_URL is set), and
// small HTTP helpers over http::Client.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "idm/core/json.h"
#include "idm/http/client.h"
#include "tests/integration/server_process.h"

namespace idm::testing {

inline constexpr char kClientId[] = "ci-admin";
inline constexpr char kClientSecret[] = "ci-admin-secret-0123456789-abcdefghijklmnop";
inline constexpr char kAdminPassword[] = "correct horse battery staple";

// 32 random bytes as hex: a KEK the test knows (so restarts and wrong-KEK runs are possible).
std::string NewKekHex();

// IDM_KEK + bootstrap admin user and client.
std::map<std::string, std::string> BootstrapEnv(const std::string& kek_hex);

// Gets a client-credentials access token for the bootstrap client; "" on failure (with a gtest
// failure recorded).
std::string AdminToken(http::Client& client);

// POST/GET JSON with a bearer token.
http::Result<http::ClientResponse> PostJson(http::Client& client, const std::string& target,
                                            const core::Json& body, const std::string& token);
http::Result<http::ClientResponse> GetWithToken(http::Client& client, const std::string& target,
                                                const std::string& token);

enum class Backend { kSqlite, kPostgres };
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// A data directory plus (for kPostgres) a fresh database; removes both at the end.
class TestEnvironment {
 public:
  explicit TestEnvironment(Backend backend);
  ~TestEnvironment();
  bool available() const { return available_; }
  const std::string& dir() const { return dir_; }
  std::map<std::string, std::string> env() const;  // BootstrapEnv + IDM_DB
  const std::string& kek_hex() const { return kek_hex_; }

 private:
  bool available_ = true;
  std::string dir_;
  std::string kek_hex_;
  std::optional<std::string> pg_url_;
};

}  // namespace idm::testing
