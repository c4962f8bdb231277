// Dynamic client registration (RFC 7591 §3) and client configuration (RFC 7592 §2): realm policy,
// initial access tokens, metadata errors (§3.2.2) and the registration access token.
#include "idm/realm/registration_service.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

class RegistrationTest : public OAuthTest {
 protected:
  void SetPolicy(const std::string& policy) {
    core::Realm r = Realm();
    r.settings.client_registration = policy;
    auto updated = realms_->Update(Ctx(), "acme", r, r.version);
    ASSERT_TRUE(updated) << updated.error().detail;
  }

  std::string NewIat(int64_t expires_in_s, int64_t max_uses) {
    auto issued = endpoints_->registrations().CreateInitialAccessToken(Ctx(), "acme", expires_in_s,
                                                                       max_uses, "test");
    EXPECT_TRUE(issued) << issued.error().detail;
    return issued ? issued->token : "";
  }

  static http::WebRequest Request(const std::string& method, const std::string& path,
                                  const Json& body, const std::string& token) {
    http::WebRequest r;
    r.method = method;
    r.path = path;
    if (!body.is_null()) {
      r.headers.emplace("Content-Type", "application/json");
      r.body = body.dump();
    }
    if (!token.empty()) r.headers.emplace("Authorization", "Bearer " + token);
    return r;
  }
  http::WebResponse Register(const Json& metadata, const std::string& token = "") {
    return Serve(Request("POST", "/realms/acme/clients-registrations", metadata, token));
  }
  http::WebResponse Config(const std::string& method, const std::string& client_id,
                           const std::string& token, const Json& body = nullptr) {
    return Serve(Request(method, "/realms/acme/clients-registrations/" + client_id, body, token));
  }

  // Audit event types about `resource_type`, in order.
  std::vector<std::string> AuditTypes(const std::string& resource_type) {
    auto tx = store_->Begin(store::TxMode::kReadOnly);
    auto events = (*tx)->audit().List(Realm().id, 0, 1000);
    EXPECT_TRUE(events);
    std::vector<std::string> types;
    for (const auto& e : *events) {
      if (e.resource_type == resource_type) types.push_back(e.type);
    }
    return types;
  }

  static bool IsInvalidToken(const http::WebResponse& r) {
    auto challenge = r.headers.find("WWW-Authenticate");
    return r.status == 401 && challenge != r.headers.end() &&
           challenge->second.find("error=\"invalid_token\"") != std::string::npos;
  }

  static Json WebApp() {
    return {{"redirect_uris", {"https://app.example.test/cb"}},
            {"client_name", "Web App"},
            {"grant_types", {"authorization_code", "refresh_token"}},
            {"response_types", {"code"}},
            {"scope", "openid profile"},
            {"contacts", {"ops@example.test"}},
            {"unknown_metadata", "ignored"}};
  }
};

TEST_F(RegistrationTest, OpenPolicyRegistersAConfidentialClientAndShowsSecretsOnce) {
  SetPolicy("open");
  http::WebResponse r = Register(WebApp());
  ASSERT_EQ(r.status, 201) << r.body;
  Json body = Json::parse(r.body);
  std::string client_id = body["client_id"];
  EXPECT_FALSE(client_id.empty());
  EXPECT_TRUE(body["client_secret"].get<std::string>().starts_with("idm_cs_"));
  EXPECT_EQ(body["client_secret_expires_at"], 0);
  EXPECT_TRUE(body["client_id_issued_at"].is_number_integer());
  EXPECT_TRUE(body["registration_access_token"].get<std::string>().starts_with("idm_rat_"));
  EXPECT_EQ(body["registration_client_uri"],
            std::string(kPublicUrl) + "/realms/acme/clients-registrations/" + client_id);
  EXPECT_EQ(body["client_name"], "Web App");
  EXPECT_EQ(body["token_endpoint_auth_method"], "client_secret_basic");
  EXPECT_EQ(body["scope"], "openid profile");
  EXPECT_EQ(body["contacts"], Json::array({"ops@example.test"}));
  EXPECT_FALSE(body.contains("unknown_metadata"));
  EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");
  // Stored through ClientService like an admin-created client, with its audit event.
  auto stored = clients_->GetByClientId("acme", client_id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->type, core::ClientType::kConfidential);
  EXPECT_TRUE(stored->consent_required);
  EXPECT_NE(stored->secret_hash.find("sha256:"), std::string::npos);
}

TEST_F(RegistrationTest, NoneAuthMethodRegistersAPublicClientWithoutSecret) {
  SetPolicy("open");
  Json m = WebApp();
  m["token_endpoint_auth_method"] = "none";
  http::WebResponse r = Register(m);
  ASSERT_EQ(r.status, 201) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_FALSE(body.contains("client_secret"));
  auto stored = clients_->GetByClientId("acme", body["client_id"]);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->type, core::ClientType::kPublic);
}

TEST_F(RegistrationTest, DisabledPolicyRefusesRegistration) {
  SetPolicy("disabled");
  http::WebResponse r = Register(WebApp());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Json::parse(r.body)["error"], "access_denied");
}

TEST_F(RegistrationTest, InitialAccessTokenPolicyNeedsAValidToken) {
  SetPolicy("initial_access_token");
  http::WebResponse missing = Register(WebApp());
  EXPECT_EQ(missing.status, 401);
  EXPECT_NE(missing.headers.find("WWW-Authenticate")->second.find("invalid_token"),
            std::string::npos);
  EXPECT_EQ(Register(WebApp(), "idm_iat_not-a-real-token").status, 401);
  std::string iat = NewIat(60, 2);
  EXPECT_EQ(Register(WebApp(), iat).status, 201);
}

TEST_F(RegistrationTest, UsedUpInitialAccessTokenIsRefused) {
  SetPolicy("initial_access_token");
  std::string iat = NewIat(60, 1);
  ASSERT_EQ(Register(WebApp(), iat).status, 201);
  EXPECT_EQ(Register(WebApp(), iat).status, 401);
}

TEST_F(RegistrationTest, ExpiredInitialAccessTokenIsRefused) {
  SetPolicy("initial_access_token");
  std::string iat = NewIat(60, 0);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Register(WebApp(), iat).status, 401);
}

TEST_F(RegistrationTest, FailedRegistrationDoesNotUseTheInitialAccessToken) {
  SetPolicy("initial_access_token");
  std::string iat = NewIat(60, 1);
  Json bad = WebApp();
  bad["grant_types"] = {"authorization_code", "password"};
  EXPECT_EQ(Register(bad, iat).status, 400);
  EXPECT_EQ(Register(WebApp(), iat).status, 201);
}

TEST_F(RegistrationTest, BadRedirectUriIsInvalidRedirectUri) {
  SetPolicy("open");
  for (const char* uri : {"http://app.example.test/cb", "https://app.example.test/cb#frag",
                          "https://*.example.test/cb"}) {
    Json m = WebApp();
    m["redirect_uris"] = {uri};
    http::WebResponse r = Register(m);
    EXPECT_EQ(r.status, 400) << uri;
    EXPECT_EQ(Json::parse(r.body)["error"], "invalid_redirect_uri") << uri;
  }
}

TEST_F(RegistrationTest, InconsistentOrMalformedMetadataIsInvalidClientMetadata) {
  SetPolicy("open");
  struct Case {
    const char* name;
    Json change;
  } cases[] = {
      {"implicit response type", {{"response_types", {"token"}}}},
      {"code without authorization_code", {{"grant_types", {"client_credentials"}}}},
      {"password grant", {{"grant_types", {"authorization_code", "password"}}}},
      {"unknown auth method", {{"token_endpoint_auth_method", "tls_client_auth"}}},
      {"jwks not an object", {{"jwks", "keys"}}},
      {"client_name not a string", {{"client_name", 7}}},
      {"bad subject type", {{"subject_type", "secret"}}},
      {"bad signing alg", {{"id_token_signed_response_alg", "none"}}},
  };
  for (const Case& c : cases) {
    Json m = WebApp();
    m.update(c.change);
    http::WebResponse r = Register(m);
    EXPECT_EQ(r.status, 400) << c.name << " " << r.body;
    EXPECT_EQ(Json::parse(r.body)["error"], "invalid_client_metadata") << c.name;
  }
}

TEST_F(RegistrationTest, ConfigurationEndpointNeedsTheRegistrationAccessToken) {
  SetPolicy("open");
  Json reg = Json::parse(Register(WebApp()).body);
  std::string id = reg["client_id"];
  std::string rat = reg["registration_access_token"];
  // RFC 7592 §2: no token, a wrong token or an unknown client: 401, never 404.
  EXPECT_EQ(Config("GET", id, "").status, 401);
  EXPECT_EQ(Config("GET", id, "idm_rat_wrong").status, 401);
  EXPECT_EQ(Config("GET", "no-such-client", rat).status, 401);
  http::WebResponse read = Config("GET", id, rat);
  ASSERT_EQ(read.status, 200) << read.body;
  Json got = Json::parse(read.body);
  EXPECT_EQ(got["client_id"], id);
  EXPECT_EQ(got["client_name"], "Web App");
  EXPECT_FALSE(got.contains("client_secret"));
}

TEST_F(RegistrationTest, AdminCreatedClientHasNoConfigurationEndpoint) {
  MakeClient(ClientSpec{"admin-made"});
  EXPECT_EQ(Config("GET", "admin-made", "idm_rat_anything").status, 401);
}

TEST_F(RegistrationTest, UpdateReplacesMetadataAndDeleteRemovesTheClient) {
  SetPolicy("open");
  Json reg = Json::parse(Register(WebApp()).body);
  std::string id = reg["client_id"];
  std::string rat = reg["registration_access_token"];
  Json changed = WebApp();
  changed["client_id"] = id;
  changed["client_name"] = "Renamed";
  changed["redirect_uris"] = {"https://app.example.test/cb2"};
  EXPECT_EQ(Config("PUT", id, "idm_rat_wrong", changed).status, 401);
  Json other_id = changed;
  other_id["client_id"] = "someone-else";
  EXPECT_EQ(Config("PUT", id, rat, other_id).status, 400);
  http::WebResponse put = Config("PUT", id, rat, changed);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Json::parse(put.body)["client_name"], "Renamed");
  rat = Json::parse(put.body)["registration_access_token"];  // rotated (RFC 7592 §3)
  auto stored = clients_->GetByClientId("acme", id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->redirect_uris, std::vector<std::string>{"https://app.example.test/cb2"});

  EXPECT_EQ(Config("DELETE", id, "idm_rat_wrong").status, 401);
  EXPECT_EQ(Config("DELETE", id, rat).status, 204);
  EXPECT_FALSE(clients_->GetByClientId("acme", id));
  EXPECT_EQ(Config("GET", id, rat).status, 401);
}

// RFC 7592 §3: the read response carries registration_access_token and registration_client_uri;
// idm issues a new token each time and the old one stops working at once.
TEST_F(RegistrationTest, ReadRotatesTheRegistrationAccessTokenAndRefusesTheOldOne) {
  SetPolicy("open");
  Json reg = Json::parse(Register(WebApp()).body);
  std::string id = reg["client_id"];
  std::string first = reg["registration_access_token"];
  http::WebResponse read = Config("GET", id, first);
  ASSERT_EQ(read.status, 200) << read.body;
  Json got = Json::parse(read.body);
  ASSERT_TRUE(got["registration_access_token"].is_string());
  std::string second = got["registration_access_token"];
  EXPECT_TRUE(second.starts_with("idm_rat_"));
  EXPECT_NE(second, first);
  EXPECT_EQ(got["registration_client_uri"], reg["registration_client_uri"]);
  EXPECT_EQ(read.headers.find("Cache-Control")->second, "no-store");

  EXPECT_TRUE(IsInvalidToken(Config("GET", id, first)));
  http::WebResponse again = Config("GET", id, second);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(Json::parse(again.body)["registration_access_token"], second);
  EXPECT_TRUE(IsInvalidToken(Config("GET", id, second)));
  EXPECT_EQ(AuditTypes("client"),
            (std::vector<std::string>{"ClientCreated", "RegistrationAccessTokenRotated",
                                      "RegistrationAccessTokenRotated"}));
}

TEST_F(RegistrationTest, UpdateRotatesTheRegistrationAccessTokenAndRefusesTheOldOne) {
  SetPolicy("open");
  Json reg = Json::parse(Register(WebApp()).body);
  std::string id = reg["client_id"];
  std::string first = reg["registration_access_token"];
  Json changed = WebApp();
  changed["client_id"] = id;
  changed["client_name"] = "Renamed";
  http::WebResponse put = Config("PUT", id, first, changed);
  ASSERT_EQ(put.status, 200) << put.body;
  Json got = Json::parse(put.body);
  ASSERT_TRUE(got["registration_access_token"].is_string());
  std::string second = got["registration_access_token"];
  EXPECT_NE(second, first);
  EXPECT_EQ(got["registration_client_uri"], reg["registration_client_uri"]);

  EXPECT_TRUE(IsInvalidToken(Config("PUT", id, first, changed)));
  EXPECT_TRUE(IsInvalidToken(Config("DELETE", id, first)));
  EXPECT_EQ(Config("GET", id, second).status, 200);
}

// A refused update changes nothing: neither the metadata nor the token.
TEST_F(RegistrationTest, RefusedUpdateKeepsTheRegistrationAccessToken) {
  SetPolicy("open");
  Json reg = Json::parse(Register(WebApp()).body);
  std::string id = reg["client_id"];
  std::string rat = reg["registration_access_token"];
  Json bad = WebApp();
  bad["client_id"] = id;
  bad["redirect_uris"] = {"http://evil.example.test/cb"};  // plain http: refused
  http::WebResponse put = Config("PUT", id, rat, bad);
  ASSERT_EQ(put.status, 400) << put.body;
  EXPECT_FALSE(Json::parse(put.body).contains("registration_access_token"));
  EXPECT_EQ(Config("GET", id, rat).status, 200);
  EXPECT_EQ(AuditTypes("client"),
            (std::vector<std::string>{"ClientCreated", "RegistrationAccessTokenRotated"}));
}

TEST_F(RegistrationTest, DiscoveryAdvertisesTheRegistrationEndpointUnlessDisabled) {
  auto discovery = [this] {
    http::WebRequest r;
    r.method = "GET";
    r.path = "/realms/acme/.well-known/openid-configuration";
    return Json::parse(Serve(r).body);
  };
  SetPolicy("open");
  Json doc = discovery();
  EXPECT_EQ(doc["registration_endpoint"],
            std::string(kPublicUrl) + "/realms/acme/clients-registrations");
  EXPECT_EQ(doc["userinfo_endpoint"],
            std::string(kPublicUrl) + "/realms/acme/protocol/openid-connect/userinfo");
  EXPECT_EQ(doc["subject_types_supported"], Json::array({"public", "pairwise"}));
  EXPECT_TRUE(doc["claims_supported"].is_array());
  SetPolicy("disabled");
  EXPECT_FALSE(discovery().contains("registration_endpoint"));
}

}  // namespace
}  // namespace idm::oauth::testing
