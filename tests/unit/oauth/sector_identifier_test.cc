// sector_identifier_uri in dynamic registration (OIDC Dynamic Client Registration 1.0 §2 and §5,
// OIDC Core §8.1): the document is fetched over HTTPS from a local TLS server with a throw-away
// certificate, must be a JSON array listing every redirect URI, and its host becomes the sector
// of pairwise subjects.
#include "idm/oauth/sector_identifier.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "idm/oauth/claims.h"
#include "idm/oauth/registration_endpoint.h"
#include "tests/unit/http/server_fixture.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

namespace fs = std::filesystem;
using core::Json;

constexpr char kRedirectA[] = "https://a.example.test/cb";
constexpr char kRedirectB[] = "https://b.example.test/cb";

class SectorIdentifierTest : public OAuthTest {
 protected:
  void SetUp() override {
    OAuthTest::SetUp();
    char tmpl[] = "/tmp/idm-sector-tls.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    cert_dir_ = tmpl;
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        Key() + " -out " + Cert() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
    http::Router r;
    auto serve = [&r](const std::string& path, int status, const std::string& body) {
      r.Add("GET", path, [status, body](const http::WebRequest&) {
        return http::WebResponse::Json(status, body);
      });
    };
    serve("/sector.json", 200, Json::array({kRedirectA, kRedirectB}).dump());
    serve("/only-a.json", 200, Json::array({kRedirectA}).dump());
    serve("/object.json", 200, Json{{"redirect_uris", {kRedirectA}}}.dump());
    serve("/numbers.json", 200, "[1, 2]");
    serve("/gone.json", 404, "{}");
    sector_server_ =
        std::make_unique<http::testing::RunningServer>(std::move(r), [&](http::ServerOptions& o) {
          o.host = "127.0.0.1";
          o.tls_cert_file = Cert();
          o.tls_key_file = Key();
        });
    SectorFetchOptions options;
    options.http.ca_file = Cert();  // trust exactly the test certificate
    options.http.connect_timeout = std::chrono::milliseconds(1'000);
    endpoint_ = std::make_unique<RegistrationEndpoint>(kPublicUrl, endpoints_->registrations(),
                                                       clock_, options);
    core::Realm realm = Realm();
    realm.settings.client_registration = "open";
    ASSERT_TRUE(realms_->Update(Ctx(), "acme", realm, realm.version));
  }

  std::string Cert() const { return (cert_dir_ / "cert.pem").string(); }
  std::string Key() const { return (cert_dir_ / "key.pem").string(); }
  std::string SectorUri(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(sector_server_->server->port()) + path;
  }

  static Json Metadata(const std::string& redirect, const std::string& sector_uri) {
    return {{"redirect_uris", {redirect}},
            {"subject_type", "pairwise"},
            {"sector_identifier_uri", sector_uri}};
  }
  static http::WebRequest Request(const std::string& method, const Json& body,
                                  const std::string& client_id = "",
                                  const std::string& token = "") {
    http::WebRequest r;
    r.method = method;
    r.path_params["realm"] = "acme";
    if (!client_id.empty()) r.path_params["client_id"] = client_id;
    r.headers.emplace("Content-Type", "application/json");
    if (!token.empty()) r.headers.emplace("Authorization", "Bearer " + token);
    r.body = body.dump();
    return r;
  }
  http::WebResponse Register(const Json& metadata) {
    return endpoint_->Register(Request("POST", metadata));
  }
  // Expects a 400 invalid_client_metadata whose description contains `words`.
  static void ExpectRefused(const http::WebResponse& r, const std::string& words,
                            const std::string& name) {
    EXPECT_EQ(r.status, 400) << name << ": " << r.body;
    Json body = Json::parse(r.body, nullptr, false);
    EXPECT_EQ(body.value("error", ""), "invalid_client_metadata") << name;
    EXPECT_NE(body.value("error_description", "").find(words), std::string::npos)
        << name << ": " << r.body;
  }

  void TearDown() override {
    sector_server_.reset();
    std::error_code ec;
    fs::remove_all(cert_dir_, ec);
    OAuthTest::TearDown();
  }

  fs::path cert_dir_;
  std::unique_ptr<http::testing::RunningServer> sector_server_;
  std::unique_ptr<RegistrationEndpoint> endpoint_;
};

TEST_F(SectorIdentifierTest, ListedRedirectUriIsAcceptedAndTheUriIsRegistered) {
  http::WebResponse r = Register(Metadata(kRedirectA, SectorUri("/sector.json")));
  ASSERT_EQ(r.status, 201) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["sector_identifier_uri"], SectorUri("/sector.json"));
  auto stored = clients_->GetByClientId("acme", body["client_id"]);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->sector_identifier, SectorUri("/sector.json"));
}

TEST_F(SectorIdentifierTest, RefusesDocumentsThatDoNotListEveryRedirectUri) {
  struct Case {
    const char* name;
    std::string sector_uri;
    const char* words;
  } cases[] = {
      {"redirect_uri not listed", SectorUri("/only-a.json"),
       "does not list the redirect URI https://b.example.test/cb"},
      {"object, not an array", SectorUri("/object.json"), "not a JSON array of strings"},
      {"array of numbers", SectorUri("/numbers.json"), "not a JSON array of strings"},
      {"404", SectorUri("/gone.json"), "could not be fetched (HTTP status 404)"},
      {"unreachable", "https://127.0.0.1:1/sector.json", "could not be fetched"},
      {"plain http", "http://127.0.0.1/sector.json", "must be an https URL"},
  };
  for (const Case& c : cases) {
    ExpectRefused(Register(Metadata(kRedirectB, c.sector_uri)), c.words, c.name);
  }
}

TEST_F(SectorIdentifierTest, UpdateRechecksTheDocument) {
  Json reg = Json::parse(Register(Metadata(kRedirectA, SectorUri("/only-a.json"))).body);
  ASSERT_TRUE(reg.contains("client_id")) << reg.dump();
  std::string id = reg["client_id"];
  Json changed = Metadata(kRedirectB, SectorUri("/only-a.json"));
  changed["client_id"] = id;
  http::WebResponse put =
      endpoint_->Update(Request("PUT", changed, id, reg["registration_access_token"]));
  ExpectRefused(put, "does not list the redirect URI", "update to an unlisted redirect URI");
  auto stored = clients_->GetByClientId("acme", id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->redirect_uris, std::vector<std::string>{kRedirectA});
}

// OIDC Core §8.1: clients on different hosts that share a sector_identifier_uri see one pairwise
// sub per user; a client of another sector sees a different one.
TEST_F(SectorIdentifierTest, ClientsSharingASectorUriSeeTheSamePairwiseSubject) {
  Json a = Json::parse(Register(Metadata(kRedirectA, SectorUri("/sector.json"))).body);
  Json b = Json::parse(Register(Metadata(kRedirectB, SectorUri("/sector.json"))).body);
  Json alone =
      Json::parse(Register({{"redirect_uris", {kRedirectB}}, {"subject_type", "pairwise"}}).body);
  auto client_a = clients_->GetByClientId("acme", a.value("client_id", ""));
  auto client_b = clients_->GetByClientId("acme", b.value("client_id", ""));
  auto client_alone = clients_->GetByClientId("acme", alone.value("client_id", ""));
  ASSERT_TRUE(client_a && client_b && client_alone);
  const std::string user = "0b5d7c1e-0000-4000-8000-000000000001";
  auto sub_a = SubjectFor(*client_a, user, "pairwise-secret");
  auto sub_b = SubjectFor(*client_b, user, "pairwise-secret");
  auto sub_alone = SubjectFor(*client_alone, user, "pairwise-secret");
  ASSERT_TRUE(sub_a && sub_b && sub_alone);
  EXPECT_EQ(*sub_a, *sub_b);
  EXPECT_EQ(*sub_a, PairwiseSubject("pairwise-secret", "127.0.0.1", user));
  EXPECT_NE(*sub_a, *sub_alone);
  EXPECT_NE(*sub_a, user);
}

}  // namespace
}  // namespace idm::oauth::testing
