// http::Server with TLS and http::Client over HTTPS, with a throw-away self-signed certificate
// made by the openssl command line tool.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "server_fixture.h"

namespace idm::http {
namespace {

namespace fs = std::filesystem;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("idm_tls_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        Key() + " -out " + Cert() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Cert() const { return (dir_ / "cert.pem").string(); }
  std::string Key() const { return (dir_ / "key.pem").string(); }

  static Router TlsRouter() {
    Router r;
    r.Add("GET", "/tls",
          [](const WebRequest& q) { return WebResponse::Text(200, q.tls ? "tls" : "plain"); });
    return r;
  }

  fs::path dir_;
};

TEST_F(TlsTest, ServesHttpsWithHstsWhenCertificateAndKeyAreGiven) {
  testing::RunningServer s(TlsRouter(), [&](ServerOptions& o) {
    o.tls_cert_file = Cert();
    o.tls_key_file = Key();
  });
  EXPECT_TRUE(s.server->tls());
  ClientOptions co;
  co.ca_file = Cert();  // trust exactly the test certificate
  Client c("https://127.0.0.1:" + std::to_string(s.server->port()), co);
  auto r = c.Get("/tls");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "tls");
  EXPECT_EQ(r->Header("Strict-Transport-Security"), "max-age=31536000");
}

TEST_F(TlsTest, ClientRefusesAnUntrustedCertificate) {
  testing::RunningServer s(TlsRouter(), [&](ServerOptions& o) {
    o.tls_cert_file = Cert();
    o.tls_key_file = Key();
  });
  Client c("https://127.0.0.1:" + std::to_string(s.server->port()));  // system trust store only
  auto r = c.Get("/tls");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTls);
}

TEST_F(TlsTest, StartFailsWithTlsErrorOnAnUnreadableKey) {
  ServerOptions o;
  o.port = 0;
  o.tls_cert_file = Cert();
  o.tls_key_file = (dir_ / "missing.pem").string();
  Server server(o, TlsRouter());
  Status s = server.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kTls);
}

}  // namespace
}  // namespace idm::http
