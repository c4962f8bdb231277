// Configuration loading: defaults < TOML file < IDM_* environment < flags, and clear errors.
#include "idm/config/loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "idm/config/options.h"
#include "idm/config/value_parse.h"

namespace idm::config {
namespace {

namespace fs = std::filesystem;

class ConfigLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("idm_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string WriteToml(const std::string& text) {
    std::string path = (dir_ / "idm.toml").string();
    std::ofstream(path) << text;
    return path;
  }

  fs::path dir_;
};

TEST_F(ConfigLoad, DefaultsAreTheDocumentedOnes) {
  auto c = Load(Sources{});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c->db, "sqlite:./var/idm.db");
  EXPECT_EQ(c->data_dir, "./var");
  EXPECT_EQ(c->kek_file, "./var/kek");
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->log_format, "json");
  EXPECT_EQ(c->max_body_bytes, 1048576);
  EXPECT_EQ(c->argon2_memory_kib, 19456);
  EXPECT_EQ(c->argon2_iterations, 2);
  EXPECT_EQ(c->argon2_parallelism, 1);
  EXPECT_EQ(c->db_pool_size, 8);
  EXPECT_EQ(c->bootstrap_admin_username, "admin");
  EXPECT_TRUE(c->bootstrap_admin_client_id.empty());
}

TEST_F(ConfigLoad, EveryTableDefaultParsesWithItsOwnType) {
  for (const Option& o : Options()) {
    if (o.derived || o.default_text.empty()) continue;
    Config c;
    auto r = ApplyText(o, std::string(o.default_text), c);
    EXPECT_TRUE(r) << o.name << ": " << r.error();
  }
}

TEST_F(ConfigLoad, EveryOptionHasAnIdmEnvironmentVariableAndADescription) {
  for (const Option& o : Options()) {
    EXPECT_EQ(o.env.rfind("IDM_", 0), 0u) << o.name;
    EXPECT_FALSE(o.description.empty()) << o.name;
    if (o.secret) {
      EXPECT_TRUE(o.toml_key.empty()) << o.name << " is a secret: environment only";
      EXPECT_TRUE(o.flag.empty()) << o.name << " is a secret: environment only";
    }
  }
}

TEST_F(ConfigLoad, DataDirMovesTheDefaultDatabaseAndKekFile) {
  auto c = Load(Sources{"", {{"IDM_DATA_DIR", "/srv/idm/"}}, {}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->db, "sqlite:/srv/idm/idm.db");
  EXPECT_EQ(c->kek_file, "/srv/idm/kek");
}

TEST_F(ConfigLoad, PublicUrlFollowsListenAndLosesTrailingSlash) {
  auto c = Load(Sources{"", {{"IDM_LISTEN", "0.0.0.0:9000"}}, {}});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->public_url, "http://0.0.0.0:9000");
  c = Load(Sources{"", {{"IDM_PUBLIC_URL", "https://id.example.com/"}}, {}});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->public_url, "https://id.example.com");
}

TEST_F(ConfigLoad, FileThenEnvironmentThenFlagsWin) {
  std::string file = WriteToml(
      "data_dir = \"/from/file\"\n[server]\nlisten = \"127.0.0.1:1111\"\n"
      "worker_threads = 3\n[log]\nlevel = \"debug\"\n");
  Sources s{file, {{"IDM_LISTEN", "127.0.0.1:2222"}, {"IDM_WORKER_THREADS", "5"}},
            {{"listen", "127.0.0.1:3333"}}};
  auto c = Load(s);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:3333");  // flag beats env and file
  EXPECT_EQ(c->worker_threads, 5);         // env beats file
  EXPECT_EQ(c->log_level, "debug");        // file beats default
  EXPECT_EQ(c->data_dir, "/from/file");
}

TEST_F(ConfigLoad, RejectsUnknownTomlKeyNamingItAndItsLine) {
  std::string file = WriteToml("[server]\nlisten = \"127.0.0.1:1\"\nlisen = \"x\"\n");
  auto c = Load(Sources{file, {}, {}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("unknown key \"server.lisen\""), std::string::npos)
      << c.error().message;
  EXPECT_NE(c.error().message.find(":3"), std::string::npos) << c.error().message;
}

TEST_F(ConfigLoad, RejectsWrongTomlTypes) {
  auto c = Load(Sources{WriteToml("[server]\nworker_threads = \"many\"\n"), {}, {}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("expected an integer"), std::string::npos);
  c = Load(Sources{WriteToml("[server]\nlisten = 8080\n"), {}, {}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("expected a string"), std::string::npos);
}

TEST_F(ConfigLoad, RejectsSecretsInTheFile) {
  auto c = Load(Sources{WriteToml("[bootstrap]\nadmin_password = \"hunter2hunter2\"\n"), {}, {}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("unknown key"), std::string::npos);
  EXPECT_EQ(c.error().message.find("hunter2"), std::string::npos);
}

TEST_F(ConfigLoad, ReportsMalformedAndMissingFiles) {
  auto c = Load(Sources{WriteToml("[server\nlisten = 1\n"), {}, {}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("idm.toml:1"), std::string::npos) << c.error().message;
  c = Load(Sources{(dir_ / "absent.toml").string(), {}, {}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("absent.toml"), std::string::npos) << c.error().message;
}

TEST_F(ConfigLoad, RejectsOutOfRangeAndMalformedNumbers) {
  struct Case { const char* name; Sources s; const char* expect; };
  const Case cases[] = {
      {"env too small", {"", {{"IDM_WORKER_THREADS", "0"}}, {}}, "out of range"},
      {"env not a number", {"", {{"IDM_DB_POOL_SIZE", "8x"}}, {}}, "expected an integer"},
      {"flag too large", {"", {}, {{"max_body_bytes", "99999999999"}}}, "out of range"},
      {"toml too small", {WriteToml("[security]\nargon2_iterations = 0\n"), {}, {}}, "out of range"},
  };
  for (const Case& k : cases) {
    auto c = Load(k.s);
    ASSERT_FALSE(c) << k.name;
    EXPECT_NE(c.error().message.find(k.expect), std::string::npos) << k.name << ": "
                                                                   << c.error().message;
  }
}

TEST_F(ConfigLoad, RejectsUnknownEnumValuesListingTheAllowedOnes) {
  auto c = Load(Sources{"", {{"IDM_LOG_LEVEL", "verbose"}}, {}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("IDM_LOG_LEVEL"), std::string::npos);
  EXPECT_NE(c.error().message.find("debug, info, warn, error"), std::string::npos);
}

TEST_F(ConfigLoad, RejectsInconsistentCombinations) {
  struct Case { const char* name; Sources s; const char* expect; };
  const Case cases[] = {
      {"cert without key", {"", {{"IDM_TLS_CERT_FILE", "/c.pem"}}, {}}, "set together"},
      {"bad listen", {"", {{"IDM_LISTEN", "localhost"}}, {}}, "host:port"},
      {"port too big", {"", {{"IDM_LISTEN", "127.0.0.1:70000"}}, {}}, "host:port"},
      {"public url scheme", {"", {{"IDM_PUBLIC_URL", "ftp://x"}}, {}}, "http:// or https://"},
      {"db scheme", {"", {{"IDM_DB", "mysql://x"}}, {}}, "sqlite:PATH"},
      {"kek twice", {"", {{"IDM_KEK", "k"}, {"IDM_KEK_FILE", "/k"}}, {}}, "choose one"},
      {"client without secret", {"", {{"IDM_BOOTSTRAP_ADMIN_CLIENT_ID", "ci"}}, {}}, "together"},
      {"proxy not an address", {"", {{"IDM_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local"}}, {}},
       "trusted_proxies: \"proxy.local\""},
  };
  for (const Case& k : cases) {
    auto c = Load(k.s);
    ASSERT_FALSE(c) << k.name;
    EXPECT_NE(c.error().message.find(k.expect), std::string::npos) << k.name << ": "
                                                                   << c.error().message;
  }
}

TEST_F(ConfigLoad, TrustedProxiesTakesAddressesAndNetworks) {
  auto c = Load(Sources{"", {{"IDM_TRUSTED_PROXIES", "127.0.0.1, ::1 10.0.0.0/8"}}, {}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->trusted_proxies, "127.0.0.1, ::1 10.0.0.0/8");
}

TEST_F(ConfigLoad, ErrorsNeverContainSecretValues) {
  auto c = Load(Sources{"", {{"IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET", "s3cr3t-value"}}, {}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.find("s3cr3t-value"), std::string::npos);
}

TEST_F(ConfigLoad, KekFromEnvironmentLeavesKekFileUnset) {
  auto c = Load(Sources{"", {{"IDM_KEK", "abc"}}, {}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->kek, "abc");
  EXPECT_TRUE(c->kek_file.empty());
}

TEST_F(ConfigLoad, RejectsFlagsOfEnvironmentOnlyOptions) {
  auto c = Load(Sources{"", {}, {{"bootstrap_admin_password", "x"}}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("unknown option flag"), std::string::npos);
}

TEST(ConfigListen, SplitsHostAndPortIncludingBracketedIpv6) {
  Config c;
  std::string host;
  int port = -1;
  c.listen = "[::1]:0";
  ASSERT_TRUE(c.ListenHostPort(&host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 0);
  c.listen = "127.0.0.1:";
  EXPECT_FALSE(c.ListenHostPort(&host, &port));
  c.listen = ":80";
  EXPECT_FALSE(c.ListenHostPort(&host, &port));
}

}  // namespace
}  // namespace idm::config
