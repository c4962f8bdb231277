// RFC 9068 access tokens: claims and signature checked against the JWKS the realm serves, and
// AccessTokenVerifier's refusals.
#include <gtest/gtest.h>

#include "idm/core/json.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/jwt.h"
#include "idm/crypto/signing_key.h"
#include "idm/oauth/access_token_minter.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

class AccessTokenTest : public OnEachBackend<OAuthTest> {
 protected:
  void SetUp() override {
    OAuthTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    secret_ = MakeClient(ClientSpec{});
    sa_id_ = MakeServiceAccount("svc", "admin");
  }
  std::string IssueToken(const std::string& scope = "read write") {
    http::WebRequest r = TokenRequest("grant_type=client_credentials&scope=" + scope);
    AddBasic(&r, "svc", secret_);
    http::WebResponse resp = Serve(r);
    EXPECT_EQ(resp.status, 200) << resp.body;
    return Json::parse(resp.body).value("access_token", "");
  }
  crypto::JwkSet ServedJwks() {
    http::WebRequest r;
    r.method = "GET";
    r.path = "/realms/acme/protocol/openid-connect/certs";
    http::WebResponse resp = Serve(r);
    EXPECT_EQ(resp.status, 200);
    auto set = crypto::JwkSet::FromJson(Json::parse(resp.body));
    EXPECT_TRUE(set);
    return set ? *set : crypto::JwkSet();
  }
  // A token signed with the realm's active ES256 key but with the given claims and typ.
  std::string SignWithRealmKey(const Json& claims, const std::string& typ = "at+jwt") {
    auto keys = keys_->Keys(Realm());
    EXPECT_TRUE(keys);
    const crypto::SigningKey* key = (*keys)->ActiveKey(crypto::JwsAlg::kEs256);
    auto jwt = crypto::JwtSign(*key, claims, typ);
    EXPECT_TRUE(jwt);
    return *jwt;
  }
  Json ValidClaims() {
    core::UnixSeconds now = clock_.NowSeconds();
    return {{"iss", std::string(kPublicUrl) + "/realms/acme"},
            {"sub", sa_id_},
            {"aud", {"idm-admin"}},
            {"client_id", "svc"},
            {"iat", now},
            {"exp", now + 300},
            {"jti", "j-1"}};
  }
  void ExpectRefused(const std::string& token, TokenErrorCode code, const char* name) {
    auto claims = verifier_->Verify(token);
    ASSERT_FALSE(claims) << name;
    EXPECT_EQ(claims.error().code, code) << name << ": " << claims.error().message;
  }
  std::string secret_;
  std::string sa_id_;
};

TEST_P(AccessTokenTest, ClaimsAndSignatureVerifyWithServedJwksRfc9068) {
  std::string token = IssueToken();
  crypto::JwtValidation v;
  v.allowed_algs = {crypto::JwsAlg::kEs256};
  v.now = clock_.NowSeconds();
  v.issuer = std::string(kPublicUrl) + "/realms/acme";
  v.audience = "idm-admin";
  v.typ = "at+jwt";
  auto jwt = crypto::JwtVerify(token, ServedJwks(), v);
  ASSERT_TRUE(jwt) << jwt.error().message;
  EXPECT_EQ(jwt->header["typ"], "at+jwt");
  EXPECT_EQ(jwt->header["alg"], "ES256");
  EXPECT_FALSE(jwt->header.value("kid", "").empty());
  const Json& c = jwt->claims;
  EXPECT_EQ(c["sub"], sa_id_);
  EXPECT_EQ(c["client_id"], "svc");
  EXPECT_EQ(c["scope"], "read write");
  EXPECT_EQ(c["iat"], clock_.NowSeconds());
  EXPECT_EQ(c["exp"], clock_.NowSeconds() + 300);
  EXPECT_FALSE(c.value("jti", "").empty());
  EXPECT_EQ(c["realm_access"]["roles"], Json::array({"admin"}));
  EXPECT_TRUE(c["resource_access"].is_object());
}

TEST_P(AccessTokenTest, EveryTokenHasItsOwnJti) {
  auto a = verifier_->Verify(IssueToken());
  auto b = verifier_->Verify(IssueToken());
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->jti, b->jti);
}

TEST_P(AccessTokenTest, ClientRolesGoToResourceAccessAndAudience) {
  auto api = clients_->GetByClientId("acme", "svc");
  ASSERT_TRUE(api);
  core::Role role;
  role.name = "reader";
  role.client_id = api->id;
  auto created = roles_->Create(Ctx(), "acme", role);
  ASSERT_TRUE(created) << created.error().detail;
  ASSERT_TRUE(roles_->Grant(Ctx(), "acme", core::RoleHolderKind::kUser, sa_id_, created->id));
  auto claims = verifier_->Verify(IssueToken());
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_TRUE(claims->HasClientRole("svc", "reader"));
  EXPECT_EQ(claims->audience, (std::vector<std::string>{"idm-admin", "svc"}));
}

TEST_P(AccessTokenTest, ClientWithoutServiceAccountGetsTokenForItselfWithoutRoles) {
  ClientSpec other;
  other.client_id = "lonely";
  std::string secret = MakeClient(other);
  http::WebRequest r = TokenRequest("grant_type=client_credentials");
  AddBasic(&r, "lonely", secret);
  http::WebResponse resp = Serve(r);
  ASSERT_EQ(resp.status, 200) << resp.body;
  auto claims = verifier_->Verify(Json::parse(resp.body)["access_token"].get<std::string>());
  ASSERT_TRUE(claims) << claims.error().message;
  auto client = clients_->GetByClientId("acme", "lonely");
  EXPECT_EQ(claims->subject, client->id);
  EXPECT_TRUE(claims->realm_roles.empty());
}

TEST_P(AccessTokenTest, MapperClaimsAreAddedButNeverReplaceTheProtocolClaims) {
  AccessTokenMinter minter(kPublicUrl, *keys_, random_);
  AccessTokenRequest request;
  request.subject = "user-\"1\"\n";  // escaped in the JSON text, intact once parsed
  request.client_id = "app";
  request.realm_roles = {"viewer"};
  request.client_roles = {{"api", {"read"}}, {"idm-admin", {"manage-users"}}};
  request.extra_claims = {{"sub", "spoofed"},          {"iss", "https://evil.example"},
                          {"realm_access", nullptr},   {"scope", "admin"},
                          {"sid", "other-session"},    {"email", "a@example.test"},
                          {"groups", {"/staff", "/ops"}}, {"name", "\xC3\xA9\xFF"}};
  auto token = minter.Mint(Realm(), request, clock_.NowMillis());
  ASSERT_TRUE(token) << token.error().detail;
  auto jwt = crypto::JwtDecodeUnverified(token->token);
  ASSERT_TRUE(jwt) << jwt.error().message;
  const Json& c = jwt->claims;
  EXPECT_EQ(c["sub"], "user-\"1\"\n");
  EXPECT_EQ(c["iss"], std::string(kPublicUrl) + "/realms/acme");
  EXPECT_EQ(c["aud"], Json::array({"idm-admin", "api"}));
  EXPECT_EQ(c["jti"], token->jti);
  EXPECT_EQ(c["exp"].get<int64_t>() - c["iat"].get<int64_t>(), token->expires_in);
  EXPECT_EQ(c["realm_access"], Json({{"roles", {"viewer"}}}));
  EXPECT_EQ(c["resource_access"],
            Json({{"api", {{"roles", {"read"}}}}, {"idm-admin", {{"roles", {"manage-users"}}}}}));
  // No scope and no session in the request: the mappers' "scope" and "sid" are dropped too.
  EXPECT_FALSE(c.contains("scope"));
  EXPECT_FALSE(c.contains("sid"));
  EXPECT_EQ(c["email"], "a@example.test");
  EXPECT_EQ(c["groups"], Json::array({"/staff", "/ops"}));
  EXPECT_EQ(c["name"], "\xC3\xA9\xEF\xBF\xBD");  // invalid UTF-8 becomes U+FFFD
  EXPECT_EQ(jwt->header, Json({{"alg", "ES256"}, {"kid", token->kid}, {"typ", "at+jwt"}}));

  request.scope = {"read", "write"};
  request.session_id = "s-1";
  token = minter.Mint(Realm(), request, clock_.NowMillis());
  ASSERT_TRUE(token) << token.error().detail;
  jwt = crypto::JwtDecodeUnverified(token->token);
  ASSERT_TRUE(jwt) << jwt.error().message;
  EXPECT_EQ(jwt->claims["scope"], "read write");
  EXPECT_EQ(jwt->claims["sid"], "s-1");
}

TEST_P(AccessTokenTest, VerifierAcceptsValidTokenAndReportsClaims) {
  auto claims = verifier_->Verify(IssueToken());
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->realm, "acme");
  EXPECT_EQ(claims->realm_id, Realm().id);
  EXPECT_EQ(claims->subject, sa_id_);
  EXPECT_TRUE(claims->HasRealmRole("admin"));
  EXPECT_TRUE(claims->HasScope("write"));
  EXPECT_EQ(claims->expires_at, clock_.NowSeconds() + 300);
}

TEST_P(AccessTokenTest, VerifierRejectsTamperedToken) {
  std::string token = IssueToken();
  size_t dot = token.find('.');
  std::string payload = *crypto::Base64UrlDecode(token.substr(dot + 1, token.rfind('.') - dot - 1));
  Json claims = Json::parse(payload);
  claims["realm_access"]["roles"] = {"admin", "superuser"};
  std::string forged = token.substr(0, dot + 1) + crypto::Base64UrlEncode(claims.dump()) +
                       token.substr(token.rfind('.'));
  ExpectRefused(forged, TokenErrorCode::kBadSignature, "tampered payload");
  std::string bad_sig = token;
  size_t mid = token.rfind('.') + 10;  // a signature character that carries only signature bits
  bad_sig[mid] = bad_sig[mid] == 'A' ? 'B' : 'A';
  ExpectRefused(bad_sig, TokenErrorCode::kBadSignature, "tampered signature");
}

TEST_P(AccessTokenTest, VerifierRejectsAlgNone) {
  std::string token = IssueToken();
  std::string kid = crypto::JwtDecodeUnverified(token)->header["kid"];
  Json header = {{"alg", "none"}, {"typ", "at+jwt"}, {"kid", kid}};
  std::string none = crypto::Base64UrlEncode(header.dump()) + "." +
                     crypto::Base64UrlEncode(ValidClaims().dump()) + ".";
  ExpectRefused(none, TokenErrorCode::kUnknownKey, "alg none");
}

TEST_P(AccessTokenTest, VerifierRejectsExpiredTokenAfterLeeway) {
  std::string token = IssueToken();
  clock_.Advance(std::chrono::seconds(300 + 29));
  EXPECT_TRUE(verifier_->Verify(token)) << "inside the 30 s leeway";
  clock_.Advance(std::chrono::seconds(2));
  ExpectRefused(token, TokenErrorCode::kExpired, "expired");
}

TEST_P(AccessTokenTest, VerifierRejectsWrongIssuer) {
  Json other_host = ValidClaims();
  other_host["iss"] = "https://evil.example.test/realms/acme";
  ExpectRefused(SignWithRealmKey(other_host), TokenErrorCode::kWrongIssuer, "other host");
  Json unknown_realm = ValidClaims();
  unknown_realm["iss"] = std::string(kPublicUrl) + "/realms/nowhere";
  ExpectRefused(SignWithRealmKey(unknown_realm), TokenErrorCode::kWrongIssuer, "unknown realm");
}

TEST_P(AccessTokenTest, VerifierRejectsTokensOfDisabledRealm) {
  std::string token = IssueToken();
  core::Realm acme = Realm();
  core::Realm changes = acme;
  changes.enabled = false;
  ASSERT_TRUE(realms_->Update(Ctx(), "acme", changes, acme.version));
  ExpectRefused(token, TokenErrorCode::kWrongIssuer, "disabled realm");
}

// Verified tokens are remembered (design 025); what is checked on every use still is.
TEST_P(AccessTokenTest, ARememberedTokenIsRefusedOnceItsRealmIsDisabled) {
  std::string token = IssueToken();
  ASSERT_TRUE(verifier_->Verify(token));
  ASSERT_TRUE(verifier_->Verify(token));
  core::Realm acme = Realm();
  core::Realm changes = acme;
  changes.enabled = false;
  ASSERT_TRUE(realms_->Update(Ctx(), "acme", changes, acme.version));
  ExpectRefused(token, TokenErrorCode::kWrongIssuer, "remembered token, disabled realm");
}

TEST_P(AccessTokenTest, ARememberedTokenIsRefusedOnceItsKeyIsNoLongerPublished) {
  std::string token = IssueToken();
  ASSERT_TRUE(verifier_->Verify(token));
  std::string kid = crypto::JwtDecodeUnverified(token)->header["kid"];
  {
    auto tx = store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->keys().Delete(Realm().id, kid));
    ASSERT_TRUE((*tx)->Commit());
  }
  keys_->Invalidate(Realm().id);  // as a rotation on this node does; other nodes: within 60 s
  ExpectRefused(token, TokenErrorCode::kUnknownKey, "remembered token, key deleted");
}

TEST_P(AccessTokenTest, ARememberedTokenIsRefusedOnceItExpiresAndATamperedCopyIsNotRemembered) {
  std::string token = IssueToken();
  ASSERT_TRUE(verifier_->Verify(token));
  std::string bad_sig = token;
  size_t mid = token.rfind('.') + 10;
  bad_sig[mid] = bad_sig[mid] == 'A' ? 'B' : 'A';
  ExpectRefused(bad_sig, TokenErrorCode::kBadSignature, "tampered copy of a remembered token");
  clock_.Advance(std::chrono::seconds(300 + 31));
  ExpectRefused(token, TokenErrorCode::kExpired, "remembered token, expired");
}

TEST_P(AccessTokenTest, VerifierRejectsTokenOfAnotherRealmsKey) {
  core::Realm draft;
  draft.name = "other";
  auto other = realms_->Create(Ctx(), draft);
  ASSERT_TRUE(other);
  auto keys = keys_->Keys(*other);
  ASSERT_TRUE(keys) << keys.error().detail;
  auto jwt = crypto::JwtSign(*(*keys)->ActiveKey(crypto::JwsAlg::kEs256), ValidClaims(), "at+jwt");
  ASSERT_TRUE(jwt);
  ExpectRefused(*jwt, TokenErrorCode::kUnknownKey, "other realm's key, acme issuer");
}

TEST_P(AccessTokenTest, VerifierRejectsUnknownKid) {
  auto stranger = crypto::SigningKey::Generate(crypto::JwsAlg::kEs256);
  ASSERT_TRUE(stranger);
  auto jwt = crypto::JwtSign(*stranger, ValidClaims(), "at+jwt");
  ASSERT_TRUE(jwt);
  ExpectRefused(*jwt, TokenErrorCode::kUnknownKey, "unknown kid");
}

TEST_P(AccessTokenTest, VerifierRejectsIdTokenTyp) {
  ExpectRefused(SignWithRealmKey(ValidClaims(), "JWT"), TokenErrorCode::kWrongType, "typ JWT");
  ExpectRefused(SignWithRealmKey(ValidClaims(), ""), TokenErrorCode::kWrongType, "no typ");
}

TEST_P(AccessTokenTest, VerifierRejectsWrongAudienceAndMissingClaims) {
  Json aud = ValidClaims();
  aud["aud"] = "some-api";
  ExpectRefused(SignWithRealmKey(aud), TokenErrorCode::kWrongAudience, "aud");
  Json no_client = ValidClaims();
  no_client.erase("client_id");
  ExpectRefused(SignWithRealmKey(no_client), TokenErrorCode::kMalformed, "no client_id");
  ExpectRefused("not-a-jwt", TokenErrorCode::kMalformed, "garbage");
}

IDM_OAUTH_BACKEND_SUITE(AccessTokenTest);

}  // namespace
}  // namespace idm::oauth::testing
