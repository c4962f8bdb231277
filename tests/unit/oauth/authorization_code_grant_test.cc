// RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3 at the token endpoint over a real SQLite store.
#include <gtest/gtest.h>

#include <algorithm>

#include "idm/crypto/jwt.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/id_token.h"
#include "tests/unit/oauth/user_grant_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

std::string Good() {
  return "&redirect_uri=" + UrlEncode(kRedirect) + "&code_verifier=" + kVerifier;
}

void ExpectInvalidGrant(const http::WebResponse& r) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(BodyOf(r).value("error", ""), "invalid_grant") << r.body;
  EXPECT_EQ(HeaderValue(r, "Cache-Control"), "no-store");
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class AuthorizationCodeGrant : public OnEachBackend<UserGrantTest> {
 protected:
  Json VerifyIdToken(const std::string& id_token) {
    crypto::JwtValidation v;
    v.allowed_algs = {crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256};
    v.now = clock_.NowSeconds();
    v.issuer = std::string(kPublicUrl) + "/realms/acme";
    v.audience = "web";
    auto jwt = crypto::JwtVerify(id_token, PublishedKeys(), v);
    EXPECT_TRUE(jwt) << jwt.error().message;
    return jwt ? jwt->claims : Json::object();
  }
};

TEST_P(AuthorizationCodeGrant, CodeWithPkceIssuesAccessIdAndRefreshTokens) {
  std::string code = IssueCode({.scope = "openid profile email"});
  http::WebResponse r = Redeem(code, Good());
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = BodyOf(r);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["scope"], "openid profile email");
  EXPECT_EQ(HeaderValue(r, "Cache-Control"), "no-store");
  std::string at = body["access_token"];
  auto claims = verifier_->Verify(at);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->subject, alice_.id);
  EXPECT_EQ(claims->client_id, "web");
  EXPECT_EQ(claims->session_id, session_id_);
  EXPECT_TRUE(claims->HasRealmRole("reader"));
  EXPECT_FALSE(claims->jti.empty());
  ASSERT_TRUE(body.contains("refresh_token"));
  EXPECT_EQ(body["refresh_token"].get<std::string>().rfind("idm_rt_", 0), 0u);
  // OIDC Core §2 / §3.1.3.6.
  Json id = VerifyIdToken(body["id_token"]);
  EXPECT_EQ(id["sub"], alice_.id);
  EXPECT_EQ(id["aud"], "web");
  EXPECT_EQ(id["azp"], "web");
  EXPECT_EQ(id["nonce"], "n-0S6_WzA2Mj");
  EXPECT_EQ(id["sid"], session_id_);
  EXPECT_EQ(id["auth_time"], (clock_.NowMillis() - 5'000) / 1000);
  EXPECT_EQ(id["acr"], "1");
  EXPECT_EQ(id["amr"], Json::array({"pwd"}));
  EXPECT_EQ(id["at_hash"], TokenHash(at, crypto::JwsAlg::kEs256));
  EXPECT_EQ(id["email"], "alice@example.test");
  EXPECT_EQ(id["given_name"], "Alice");
  EXPECT_TRUE(Contains(AuditTypes(), "AuthorizationCodeRedeemed"));
}

// design 014: client.access_token_ttl_s replaces the realm's access-token lifetime only; the
// ID token and the refresh token keep theirs.
TEST_P(AuthorizationCodeGrant, ClientAccessTokenTtlOverridesOnlyTheAccessTokenLifetime) {
  core::Client web = ClientNamed("web");
  web.access_token_ttl_s = 90;
  SaveClient(web);
  Json body = RedeemOk(IssueCode({.scope = "openid"}));
  EXPECT_EQ(body["expires_in"], 90);
  auto claims = verifier_->Verify(body["access_token"].get<std::string>());
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->expires_at - claims->issued_at, 90);
  Json id = VerifyIdToken(body["id_token"]);
  EXPECT_EQ(id["exp"].get<int64_t>() - id["iat"].get<int64_t>(), realm_.settings.id_token_ttl_s);
  EXPECT_EQ(StoredRefresh(body["refresh_token"]).expires_at,
            clock_.NowMillis() + realm_.settings.refresh_token_ttl_s * 1000);
}

TEST_P(AuthorizationCodeGrant, StoredRefreshTokenIsHashedInTheCodesFamilyAndSession) {
  Json body = RedeemOk(IssueCode({.scope = "openid"}));
  core::RefreshToken t = StoredRefresh(body["refresh_token"]);
  EXPECT_NE(t.token_hash, body["refresh_token"].get<std::string>());
  EXPECT_EQ(t.session_id, session_id_);
  EXPECT_FALSE(t.offline);
  EXPECT_EQ(t.expires_at, clock_.NowMillis() + realm_.settings.refresh_token_ttl_s * 1000);
  EXPECT_EQ(t.family_expires_at,
            clock_.NowMillis() + realm_.settings.refresh_token_max_ttl_s * 1000);
}

TEST_P(AuthorizationCodeGrant, OfflineAccessScopeIssuesOfflineTokenWithOfflineLifetimes) {
  Json body = RedeemOk(IssueCode({.scope = "openid offline_access"}));
  core::RefreshToken t = StoredRefresh(body["refresh_token"]);
  EXPECT_TRUE(t.offline);
  EXPECT_EQ(t.expires_at, clock_.NowMillis() + realm_.settings.offline_token_ttl_s * 1000);
  EXPECT_EQ(t.family_expires_at,
            clock_.NowMillis() + realm_.settings.offline_token_max_ttl_s * 1000);
}

TEST_P(AuthorizationCodeGrant, WithoutOpenIdScopeThereIsNoIdToken) {
  Json body = RedeemOk(IssueCode({.scope = "read"}));
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_TRUE(body.contains("access_token"));
}

TEST_P(AuthorizationCodeGrant, ClientWithoutRefreshGrantGetsNoRefreshToken) {
  core::Client web = ClientNamed("web");
  web.grant_types = {"authorization_code"};
  SaveClient(web);
  Json body = RedeemOk(IssueCode());
  EXPECT_FALSE(body.contains("refresh_token"));
}

TEST_P(AuthorizationCodeGrant, PublicClientRedeemsWithClientIdAndPkce) {
  Json body = RedeemOk(IssueCode({.client = "spa"}), "spa");
  EXPECT_TRUE(body.contains("id_token"));
}

// OIDC Core §8: the ID token carries the pairwise subject; the access token names the user by id,
// because resource servers and UserInfo must find the user from it (docs/design/015).
TEST_P(AuthorizationCodeGrant, PairwiseClientSeesPairwiseSubjectInTheIdTokenOnly) {
  core::Client web = ClientNamed("web");
  web.subject_type = "pairwise";
  SaveClient(web);
  Json body = RedeemOk(IssueCode());
  auto expected = SubjectFor(ClientNamed("web"), alice_.id, "");
  ASSERT_TRUE(expected);
  EXPECT_NE(*expected, alice_.id);
  EXPECT_EQ(VerifyIdToken(body["id_token"])["sub"], *expected);
  EXPECT_EQ(verifier_->Verify(body["access_token"].get<std::string>())->subject, alice_.id);
}

// KeyService reloads keys (which may need SQLite's single writer) after its 60 s cache: the grant
// loads them before it opens its own write transaction, so this must not time out.
TEST_P(AuthorizationCodeGrant, RedeemsWhenSigningKeysMustBeReloaded) {
  std::string code = IssueCode({.ttl_ms = 300'000});
  clock_.Advance(std::chrono::seconds(120));
  http::WebResponse r = Redeem(code, Good());
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_P(AuthorizationCodeGrant, ReusedCodeFailsAndRevokesTheRefreshTokenOfTheFirstUse) {
  std::string code = IssueCode();
  Json first = RedeemOk(code);
  ExpectInvalidGrant(Redeem(code, Good()));
  EXPECT_NE(StoredRefresh(first["refresh_token"]).revoked_at, 0);
  ExpectInvalidGrant(Refresh(first["refresh_token"]));
  EXPECT_TRUE(Contains(AuditTypes(), "AuthorizationCodeReuseDetected"));
}

TEST_P(AuthorizationCodeGrant, WrongVerifierIsInvalidGrant) {
  ExpectInvalidGrant(Redeem(IssueCode(), "&redirect_uri=" + UrlEncode(kRedirect) +
                                             "&code_verifier=" + std::string(43, 'a')));
}

TEST_P(AuthorizationCodeGrant, MissingVerifierIsInvalidGrant) {
  ExpectInvalidGrant(Redeem(IssueCode(), "&redirect_uri=" + UrlEncode(kRedirect)));
}

TEST_P(AuthorizationCodeGrant, VerifierForCodeWithoutChallengeIsInvalidGrant) {
  core::Client web = ClientNamed("web");
  web.require_pkce = false;
  SaveClient(web);
  std::string code = IssueCode({.challenge = ""});
  ExpectInvalidGrant(Redeem(code, Good()));
  // RFC 9700 §2.1.1: without a verifier, the same code (the failure rolled back) is fine.
  EXPECT_EQ(Redeem(code, "&redirect_uri=" + UrlEncode(kRedirect)).status, 200);
}

TEST_P(AuthorizationCodeGrant, CodeWithoutChallengeIsRefusedWhenClientRequiresPkce) {
  ExpectInvalidGrant(Redeem(IssueCode({.challenge = ""}), "&redirect_uri=" + UrlEncode(kRedirect)));
}

TEST_P(AuthorizationCodeGrant, RedirectUriMismatchIsInvalidGrant) {
  ExpectInvalidGrant(
      Redeem(IssueCode(), "&redirect_uri=" + UrlEncode("https://app.example.test/other") +
                              "&code_verifier=" + kVerifier));
}

// RFC 6749 §4.1.3: a redirect_uri the client never registered is not the code's either; the
// failure rolls back, so the code is not burnt (design 014).
TEST_P(AuthorizationCodeGrant, UnregisteredRedirectUriIsInvalidGrantAndTheCodeStaysUsable) {
  std::string code = IssueCode();
  ExpectInvalidGrant(Redeem(code, "&redirect_uri=" + UrlEncode("https://evil.example.test/cb") +
                                      "&code_verifier=" + kVerifier));
  EXPECT_EQ(Redeem(code, Good()).status, 200);
}

TEST_P(AuthorizationCodeGrant, MissingRedirectUriIsInvalidGrantWhenTheRequestHadOne) {
  ExpectInvalidGrant(Redeem(IssueCode(), std::string("&code_verifier=") + kVerifier));
}

TEST_P(AuthorizationCodeGrant, ExpiredCodeIsInvalidGrant) {
  std::string code = IssueCode();
  clock_.Advance(std::chrono::seconds(61));
  ExpectInvalidGrant(Redeem(code, Good()));
}

TEST_P(AuthorizationCodeGrant, UnknownCodeIsInvalidGrant) {
  ExpectInvalidGrant(Redeem("idm_ac_unknown", Good()));
}

TEST_P(AuthorizationCodeGrant, MissingCodeIsInvalidRequest) {
  http::WebResponse r = PostAs("/token", "grant_type=authorization_code" + Good(), "web");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(BodyOf(r).value("error", ""), "invalid_request");
}

TEST_P(AuthorizationCodeGrant, CodeOfAnotherClientIsInvalidGrantAndStaysUsable) {
  std::string code = IssueCode({.client = "web"});
  ExpectInvalidGrant(Redeem(code, Good(), "other"));
  EXPECT_EQ(Redeem(code, Good(), "web").status, 200);
}

TEST_P(AuthorizationCodeGrant, DisabledUserIsInvalidGrant) {
  core::User u = alice_;
  u.enabled = false;
  SaveUser(u);
  ExpectInvalidGrant(Redeem(IssueCode(), Good()));
}

TEST_P(AuthorizationCodeGrant, WrongClientSecretIsInvalidClient) {
  std::string code = IssueCode();
  http::WebRequest r = TokenRequest("grant_type=authorization_code&code=" + code + Good());
  AddBasic(&r, "web", secrets_["web"] + "x");
  http::WebResponse resp = Serve(r);
  EXPECT_EQ(resp.status, 401);
  EXPECT_EQ(BodyOf(resp).value("error", ""), "invalid_client");
  EXPECT_EQ(HeaderValue(resp, "WWW-Authenticate"), "Basic realm=\"acme\"");
}

TEST_P(AuthorizationCodeGrant, ClientSecretPostAuthenticates) {
  std::string code = IssueCode();
  http::WebResponse r = Serve(TokenRequest("grant_type=authorization_code&code=" + code + Good() +
                                           "&client_id=web&client_secret=" + secrets_["web"]));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_P(AuthorizationCodeGrant, ConfidentialClientCannotAuthenticateWithClientIdAlone) {
  http::WebResponse r = Serve(TokenRequest("grant_type=authorization_code&code=" + IssueCode() +
                                           Good() + "&client_id=web"));
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(BodyOf(r).value("error", ""), "invalid_client");
}

TEST_P(AuthorizationCodeGrant, PublicClientCannotUseClientCredentials) {
  http::WebResponse r = PostAs("/token", "grant_type=client_credentials", "spa");
  EXPECT_EQ(r.status, 401) << r.body;
}

IDM_OAUTH_BACKEND_SUITE(AuthorizationCodeGrant);

}  // namespace
}  // namespace idm::oauth::testing
