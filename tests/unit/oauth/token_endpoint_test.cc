// RFC 6749 §3.2 / §4.4 token endpoint over a real store (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include "idm/core/json.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

Json Body(const http::WebResponse& r) { return Json::parse(r.body, nullptr, false); }

std::string HeaderOf(const http::WebResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

void ExpectOAuthError(const http::WebResponse& r, int status, const std::string& error) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(Body(r).value("error", ""), error) << r.body;
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(r, "Pragma"), "no-cache");
}

class TokenEndpointTest : public OnEachBackend<OAuthTest> {
 protected:
  void SetUp() override {
    OAuthTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    secret_ = MakeClient(ClientSpec{});
    ASSERT_FALSE(secret_.empty());
  }
  http::WebRequest BasicRequest(const std::string& body) {
    http::WebRequest r = TokenRequest(body);
    AddBasic(&r, "svc", secret_);
    return r;
  }
  std::string secret_;
};

TEST_P(TokenEndpointTest, IssuesJwtAccessTokenWithClientSecretBasic) {
  MakeServiceAccount("svc", "reporter");
  http::WebResponse r = Serve(BasicRequest("grant_type=client_credentials&scope=read"));
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Body(r);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 300);
  EXPECT_EQ(body["scope"], "read");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(r, "Pragma"), "no-cache");
  auto claims = verifier_->Verify(body["access_token"].get<std::string>());
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->client_id, "svc");
  EXPECT_EQ(claims->realm, "acme");
  EXPECT_EQ(claims->scope, "read");
  EXPECT_TRUE(claims->HasRealmRole("reporter"));
}

// design 014: client.access_token_ttl_s (> 0) replaces the realm's access_token_ttl_s.
TEST_P(TokenEndpointTest, ClientAccessTokenTtlOverridesTheRealmLifetime) {
  auto client = clients_->GetByClientId("acme", "svc");
  ASSERT_TRUE(client);
  client->access_token_ttl_s = 120;
  ASSERT_TRUE(clients_->Update(Ctx(), "acme", client->id, *client, client->version));
  http::WebResponse r = Serve(BasicRequest("grant_type=client_credentials"));
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Body(r);
  EXPECT_EQ(body["expires_in"], 120);
  auto claims = verifier_->Verify(body["access_token"].get<std::string>());
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->expires_at - claims->issued_at, 120);
  clock_.Advance(std::chrono::seconds(120 + 31));  // past exp and the verifier's 30 s leeway
  EXPECT_FALSE(verifier_->Verify(body["access_token"].get<std::string>()));
}

TEST_P(TokenEndpointTest, ZeroClientAccessTokenTtlKeepsTheRealmLifetime) {
  Json body = Body(Serve(BasicRequest("grant_type=client_credentials")));
  EXPECT_EQ(body["expires_in"], Realm().settings.access_token_ttl_s);
  auto claims = verifier_->Verify(body["access_token"].get<std::string>());
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->expires_at - claims->issued_at, Realm().settings.access_token_ttl_s);
}

// design 014: client-credentials issuance is audited through the batched writer (AuditSink), not
// in a transaction of the request: the event waits in the queue until the writer flushes.
TEST_P(TokenEndpointTest, ClientCredentialsIssuanceRecordsAccessTokenIssuedThroughTheAuditSink) {
  std::string sa_id = MakeServiceAccount("svc", "reporter");
  http::WebRequest request = BasicRequest("grant_type=client_credentials&scope=read");
  request.remote_addr = "192.0.2.7";
  request.request_id = "req-cc-1";
  http::WebResponse r = Serve(request);
  ASSERT_EQ(r.status, 200) << r.body;
  auto claims = verifier_->Verify(Body(r)["access_token"].get<std::string>());
  ASSERT_TRUE(claims) << claims.error().message;
  auto Issued = [&] {
    std::vector<core::AuditEvent> out;
    auto tx = store_->Begin(store::TxMode::kReadOnly);
    EXPECT_TRUE(tx);
    auto events = (*tx)->audit().List(Realm().id, 0, 1000);
    EXPECT_TRUE(events);
    for (const core::AuditEvent& e : *events) {
      if (e.type == "AccessTokenIssued") out.push_back(e);
    }
    return out;
  };
  EXPECT_TRUE(Issued().empty());  // queued, not written by the request
  EXPECT_EQ(audit_->queued(), 1u);
  ASSERT_TRUE(audit_->Flush());
  std::vector<core::AuditEvent> events = Issued();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor, "client:svc");
  EXPECT_EQ(events[0].resource_type, "client");
  EXPECT_EQ(events[0].client_ip, "192.0.2.7");
  EXPECT_EQ(events[0].request_id, "req-cc-1");
  EXPECT_EQ(events[0].time, clock_.NowMillis());
  Json details = Json::parse(events[0].details);
  EXPECT_EQ(details["client_id"], "svc");
  EXPECT_EQ(details["grant"], "client_credentials");
  EXPECT_EQ(details["scope"], "read");
  EXPECT_EQ(details["jti"], claims->jti);
  EXPECT_EQ(details["subject"], sa_id);
  EXPECT_EQ(events[0].details.find(secret_), std::string::npos);
}

TEST_P(TokenEndpointTest, RefusedClientCredentialsRequestIsNotAudited) {
  http::WebRequest r = TokenRequest("grant_type=client_credentials&scope=admin");
  AddBasic(&r, "svc", secret_);
  EXPECT_EQ(Serve(r).status, 400);
  EXPECT_EQ(audit_->queued(), 0u);
}

TEST_P(TokenEndpointTest, IssuesTokenWithClientSecretPost) {
  http::WebResponse r =
      Serve(TokenRequest("grant_type=client_credentials&client_id=svc&client_secret=" + secret_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Body(r).contains("scope"));  // none requested, none granted
}

TEST_P(TokenEndpointTest, CountsIssuedTokensPerRealmAndGrant) {
  ASSERT_EQ(Serve(BasicRequest("grant_type=client_credentials")).status, 200);
  ASSERT_EQ(Serve(BasicRequest("grant_type=client_credentials")).status, 200);
  std::string text = metrics_.Render();
  EXPECT_NE(text.find("idm_tokens_issued_total{realm=\"acme\",grant=\"client_credentials\"} 2"),
            std::string::npos)
      << text;
}

TEST_P(TokenEndpointTest, WrongSecretIsInvalidClientWithBasicChallenge) {
  http::WebRequest r = TokenRequest("grant_type=client_credentials");
  AddBasic(&r, "svc", secret_ + "x");
  http::WebResponse resp = Serve(r);
  ExpectOAuthError(resp, 401, "invalid_client");
  EXPECT_EQ(HeaderOf(resp, "WWW-Authenticate"), "Basic realm=\"acme\"");
}

TEST_P(TokenEndpointTest, WrongSecretViaPostIsInvalidClientWithoutChallenge) {
  http::WebResponse r =
      Serve(TokenRequest("grant_type=client_credentials&client_id=svc&client_secret=nope"));
  ExpectOAuthError(r, 401, "invalid_client");
  EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "");
}

TEST_P(TokenEndpointTest, UnknownClientLooksLikeWrongSecret) {
  http::WebRequest r = TokenRequest("grant_type=client_credentials");
  AddBasic(&r, "nobody", secret_);
  http::WebResponse unknown = Serve(r);
  ExpectOAuthError(unknown, 401, "invalid_client");
  http::WebRequest w = TokenRequest("grant_type=client_credentials");
  AddBasic(&w, "svc", "idm_cs_wrong");
  EXPECT_EQ(unknown.body, Serve(w).body);
}

TEST_P(TokenEndpointTest, TwoAuthenticationMethodsAreInvalidRequestRfc6749Sec2_3) {
  http::WebResponse r =
      Serve(BasicRequest("grant_type=client_credentials&client_secret=" + secret_));
  ExpectOAuthError(r, 400, "invalid_request");
}

TEST_P(TokenEndpointTest, NoClientAuthenticationIsInvalidClient) {
  ExpectOAuthError(Serve(TokenRequest("grant_type=client_credentials")), 401, "invalid_client");
  ExpectOAuthError(Serve(TokenRequest("grant_type=client_credentials&client_id=svc")), 401,
                   "invalid_client");
}

TEST_P(TokenEndpointTest, PublicClientCannotUseClientCredentials) {
  ClientSpec pub;
  pub.client_id = "spa";
  pub.type = core::ClientType::kPublic;
  pub.auth_method = "none";
  pub.grant_types = {"authorization_code"};
  MakeClient(pub);
  ExpectOAuthError(Serve(TokenRequest("grant_type=client_credentials&client_id=spa")), 401,
                   "invalid_client");
  ExpectOAuthError(
      Serve(TokenRequest("grant_type=client_credentials&client_id=spa&client_secret=x")), 401,
      "invalid_client");
}

TEST_P(TokenEndpointTest, GrantNotAllowedForClientIsUnauthorizedClient) {
  core::Client draft;
  draft.client_id = "web";
  draft.name = "web";
  draft.grant_types = {"authorization_code"};
  draft.redirect_uris = {"https://web.example.test/cb"};
  auto created = clients_->Create(Ctx(), "acme", draft);
  ASSERT_TRUE(created) << created.error().detail;
  http::WebRequest r = TokenRequest("grant_type=client_credentials");
  AddBasic(&r, "web", created->secret);
  ExpectOAuthError(Serve(r), 400, "unauthorized_client");
}

TEST_P(TokenEndpointTest, UnknownGrantTypeIsUnsupportedGrantType) {
  ExpectOAuthError(Serve(BasicRequest("grant_type=urn:example:magic")), 400,
                   "unsupported_grant_type");
}

TEST_P(TokenEndpointTest, ScopeOutsideClientScopesIsInvalidScope) {
  ExpectOAuthError(Serve(BasicRequest("grant_type=client_credentials&scope=read+admin")), 400,
                   "invalid_scope");
  ExpectOAuthError(Serve(BasicRequest("grant_type=client_credentials&scope=%22bad%22")), 400,
                   "invalid_scope");
}

TEST_P(TokenEndpointTest, DisabledClientIsInvalidClient) {
  auto client = clients_->GetByClientId("acme", "svc");
  ASSERT_TRUE(client);
  core::Client changes = *client;
  changes.enabled = false;
  ASSERT_TRUE(clients_->Update(Ctx(), "acme", client->id, changes, client->version));
  ExpectOAuthError(Serve(BasicRequest("grant_type=client_credentials")), 401, "invalid_client");
}

TEST_P(TokenEndpointTest, DisabledServiceAccountIsUnauthorizedClient) {
  std::string user_id = MakeServiceAccount("svc", "reporter");
  auto user = users_->Get("acme", user_id);
  ASSERT_TRUE(user);
  core::User changes = *user;
  changes.enabled = false;
  ASSERT_TRUE(users_->Update(Ctx(), "acme", user_id, changes, user->version));
  ExpectOAuthError(Serve(BasicRequest("grant_type=client_credentials")), 400,
                   "unauthorized_client");
}

TEST_P(TokenEndpointTest, WrongContentTypeIsInvalidRequest) {
  http::WebRequest r = BasicRequest("{\"grant_type\":\"client_credentials\"}");
  r.headers.erase("Content-Type");
  r.headers.emplace("Content-Type", "application/json");
  ExpectOAuthError(Serve(r), 400, "invalid_request");
}

TEST_P(TokenEndpointTest, GetInsteadOfPostIsRefused) {
  http::WebRequest r = BasicRequest("");
  r.method = "GET";
  http::WebResponse routed = Serve(r);
  EXPECT_EQ(routed.status, 405);
  EXPECT_EQ(HeaderOf(routed, "Allow").find("POST") != std::string::npos, true);
  http::WebResponse direct = endpoints_->token().Handle(r);  // the endpoint's own check
  ExpectOAuthError(direct, 405, "invalid_request");
  EXPECT_EQ(HeaderOf(direct, "Allow"), "POST");
}

TEST_P(TokenEndpointTest, MissingGrantTypeIsInvalidRequest) {
  ExpectOAuthError(Serve(BasicRequest("scope=read")), 400, "invalid_request");
}

TEST_P(TokenEndpointTest, RepeatedParameterIsInvalidRequestRfc6749Sec3_2) {
  ExpectOAuthError(Serve(BasicRequest("grant_type=client_credentials&scope=read&scope=write")), 400,
                   "invalid_request");
}

TEST_P(TokenEndpointTest, UnknownOrDisabledRealmIs404) {
  http::WebRequest r = TokenRequest("grant_type=client_credentials", "nowhere");
  AddBasic(&r, "svc", secret_);
  http::WebResponse resp = Serve(r);
  EXPECT_EQ(resp.status, 404);
  core::Realm acme = Realm();
  core::Realm changes = acme;
  changes.enabled = false;
  ASSERT_TRUE(realms_->Update(Ctx(), "acme", changes, acme.version));
  EXPECT_EQ(Serve(BasicRequest("grant_type=client_credentials")).status, 404);
}

IDM_OAUTH_BACKEND_SUITE(TokenEndpointTest);

}  // namespace
}  // namespace idm::oauth::testing
