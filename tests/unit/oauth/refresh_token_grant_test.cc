// RFC 6749 §6 refresh with RFC 9700 §4.14.2 rotation and reuse detection; OIDC Core §11, §12.2.
#include <gtest/gtest.h>

#include <algorithm>

#include "idm/crypto/jwt.h"
#include "tests/unit/oauth/user_grant_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

void ExpectError(const http::WebResponse& r, const std::string& error) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(BodyOf(r).value("error", ""), error) << r.body;
}

class RefreshTokenGrant : public OnEachBackend<UserGrantTest> {
 protected:
  // Redeems a fresh code of `scope`; returns the refresh token.
  std::string Start(const std::string& scope = "openid profile read",
                    const std::string& client = "web") {
    Json body = RedeemOk(IssueCode({.client = client, .scope = scope}), client);
    return body.value("refresh_token", "");
  }
  int Count(const std::string& type) {
    auto t = AuditTypes();
    return static_cast<int>(std::count(t.begin(), t.end(), type));
  }
};

TEST_P(RefreshTokenGrant, RotatesOnEveryUseAndReturnsNewTokens) {
  std::string rt1 = Start();
  clock_.Advance(std::chrono::seconds(10));
  http::WebResponse r = Refresh(rt1);
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = BodyOf(r);
  std::string rt2 = body["refresh_token"];
  EXPECT_NE(rt2, rt1);
  EXPECT_EQ(body["scope"], "openid profile read");
  core::RefreshToken old_row = StoredRefresh(rt1);
  core::RefreshToken new_row = StoredRefresh(rt2);
  EXPECT_NE(old_row.rotated_at, 0);
  EXPECT_EQ(old_row.replaced_by, new_row.id);
  EXPECT_EQ(new_row.family_id, old_row.family_id);
  EXPECT_EQ(new_row.family_expires_at, old_row.family_expires_at);
  EXPECT_EQ(Count("RefreshTokenRotated"), 1);
  ASSERT_EQ(Refresh(rt2).status, 200);
}

TEST_P(RefreshTokenGrant, RefreshesWhenSigningKeysMustBeReloaded) {
  std::string rt = Start();
  clock_.Advance(std::chrono::seconds(120));
  http::WebResponse r = Refresh(rt);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_P(RefreshTokenGrant, NewIdTokenKeepsSubjectAndAuthTimeWithoutNonce) {
  std::string rt = Start();
  clock_.Advance(std::chrono::seconds(30));
  Json body = BodyOf(Refresh(rt));
  ASSERT_TRUE(body.contains("id_token"));
  auto jwt = crypto::JwtDecodeUnverified(body["id_token"].get<std::string>());
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt->claims["sub"], alice_.id);
  EXPECT_EQ(jwt->claims["auth_time"], StoredSession().auth_time / 1000);
  EXPECT_EQ(jwt->claims["iat"], clock_.NowSeconds());
  EXPECT_FALSE(jwt->claims.contains("nonce"));  // OIDC Core §12.2
  EXPECT_TRUE(jwt->claims.contains("at_hash"));
}

// The claims of the ID token a refresh returns.
Json RefreshedIdTokenClaims(const http::WebResponse& r) {
  Json body = BodyOf(r);
  if (!body.contains("id_token")) return Json::object();
  auto jwt = crypto::JwtDecodeUnverified(body["id_token"].get<std::string>());
  return jwt ? jwt->claims : Json::object();
}

// OIDC Core §12.2: auth_time is "the time of the original authentication", and otherwise the
// rules of the original ID token apply, so acr and amr describe that authentication — not a
// step-up of the session that happened after this grant (docs/design/020: tokens issued before
// an upgrade keep the lower acr, "which stays true for them").
TEST_P(RefreshTokenGrant, IdTokenKeepsTheOriginalAuthenticationAfterTheSessionSteppedUp) {
  const int64_t original_auth_time = clock_.NowMillis() - 5'000;  // IssueCode's auth_time
  std::string rt = Start();
  clock_.Advance(std::chrono::seconds(60));
  {
    auto tx = store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->sessions().Reauthenticate(session_id_, clock_.NowMillis(), "mfa",
                                                 {"pwd", "otp", "mfa"}));
    ASSERT_TRUE((*tx)->Commit());
  }
  clock_.Advance(std::chrono::seconds(10));
  http::WebResponse r = Refresh(rt);
  ASSERT_EQ(r.status, 200) << r.body;
  Json claims = RefreshedIdTokenClaims(r);
  EXPECT_EQ(claims["auth_time"], original_auth_time / 1000);
  EXPECT_EQ(claims["acr"], "1");
  EXPECT_EQ(claims["amr"], Json::array({"pwd"}));
  // The rotated token carries the same authentication on to the next refresh.
  std::string next = BodyOf(r)["refresh_token"];
  Json again = RefreshedIdTokenClaims(Refresh(next));
  EXPECT_EQ(again["auth_time"], original_auth_time / 1000);
  EXPECT_EQ(again["acr"], "1");
  EXPECT_EQ(again["amr"], Json::array({"pwd"}));
}

TEST_P(RefreshTokenGrant, OfflineIdTokenKeepsTheOriginalAuthenticationAfterTheSessionEnded) {
  const int64_t original_auth_time = clock_.NowMillis() - 5'000;
  std::string rt = Start("openid offline_access");
  RevokeSession();
  http::WebResponse r = Refresh(rt);
  ASSERT_EQ(r.status, 200) << r.body;
  Json claims = RefreshedIdTokenClaims(r);
  EXPECT_EQ(claims["sub"], alice_.id);
  EXPECT_EQ(claims["auth_time"], original_auth_time / 1000);
  EXPECT_EQ(claims["acr"], "1");
  EXPECT_EQ(claims["amr"], Json::array({"pwd"}));
}

TEST_P(RefreshTokenGrant, ReplayedRotatedTokenRevokesTheWholeFamily) {
  std::string rt1 = Start();
  std::string rt2 = BodyOf(Refresh(rt1))["refresh_token"];
  ExpectError(Refresh(rt1), "invalid_grant");
  EXPECT_NE(StoredRefresh(rt2).revoked_at, 0);
  ExpectError(Refresh(rt2), "invalid_grant");
  EXPECT_EQ(Count("RefreshTokenReuseDetected"), 1);
}

TEST_P(RefreshTokenGrant, RefreshAfterSessionRevocationFails) {
  std::string rt = Start();
  RevokeSession();
  ExpectError(Refresh(rt), "invalid_grant");
}

TEST_P(RefreshTokenGrant, RefreshAfterSessionExpiryFails) {
  std::string rt = Start();
  clock_.Advance(std::chrono::seconds(1801));  // past the session's idle expiry
  ExpectError(Refresh(rt), "invalid_grant");
}

TEST_P(RefreshTokenGrant, RefreshIsSessionActivityThatSlidesItsIdleExpiry) {
  std::string rt = Start();
  clock_.Advance(std::chrono::seconds(1000));
  http::WebResponse r = Refresh(rt);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(StoredSession().idle_expires_at,
            clock_.NowMillis() + realm_.settings.sso_session_idle_s * 1000);
  clock_.Advance(std::chrono::seconds(1000));  // 2000 s after login, 1000 s after the refresh
  EXPECT_EQ(Refresh(BodyOf(r)["refresh_token"]).status, 200);
}

TEST_P(RefreshTokenGrant, OfflineTokenSurvivesSessionRevocation) {
  std::string rt = Start("openid offline_access");
  RevokeSession();
  http::WebResponse r = Refresh(rt);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(StoredRefresh(BodyOf(r)["refresh_token"]).offline);
}

TEST_P(RefreshTokenGrant, ScopeMayNarrowButNewRefreshTokenKeepsTheOriginalScope) {
  std::string rt = Start();
  http::WebResponse r = Refresh(rt, "&scope=read");
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = BodyOf(r);
  EXPECT_EQ(body["scope"], "read");
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_EQ(StoredRefresh(body["refresh_token"]).scope, "openid profile read");
}

TEST_P(RefreshTokenGrant, ScopeWideningIsInvalidScope) {
  std::string rt = Start("openid read");
  ExpectError(Refresh(rt, "&scope=openid%20read%20email"), "invalid_scope");
  EXPECT_EQ(StoredRefresh(rt).rotated_at, 0);  // nothing changed
}

TEST_P(RefreshTokenGrant, ExpiredTokenIsInvalidGrant) {
  std::string rt = Start("openid offline_access");
  clock_.Advance(std::chrono::seconds(realm_.settings.offline_token_ttl_s + 1));
  ExpectError(Refresh(rt), "invalid_grant");
}

TEST_P(RefreshTokenGrant, UnknownTokenIsInvalidGrant) {
  ExpectError(Refresh("idm_rt_unknown"), "invalid_grant");
}

TEST_P(RefreshTokenGrant, MissingTokenIsInvalidRequest) {
  ExpectError(PostAs("/token", "grant_type=refresh_token", "web"), "invalid_request");
}

TEST_P(RefreshTokenGrant, TokenOfAnotherClientIsInvalidGrantAndNotRotated) {
  std::string rt = Start();
  ExpectError(Refresh(rt, "", "other"), "invalid_grant");
  EXPECT_EQ(StoredRefresh(rt).rotated_at, 0);
  EXPECT_EQ(Refresh(rt).status, 200);
}

// RFC 6749 §6: the client authenticates; a wrong secret is invalid_client (§5.2) and the
// refresh token is neither rotated nor revoked.
TEST_P(RefreshTokenGrant, WrongClientSecretIsInvalidClientAndTokenNotRotated) {
  std::string rt = Start();
  http::WebRequest r = TokenRequest("grant_type=refresh_token&refresh_token=" + UrlEncode(rt));
  AddBasic(&r, "web", secrets_["web"] + "x");
  http::WebResponse resp = Serve(r);
  EXPECT_EQ(resp.status, 401) << resp.body;
  EXPECT_EQ(BodyOf(resp).value("error", ""), "invalid_client") << resp.body;
  EXPECT_EQ(StoredRefresh(rt).rotated_at, 0);
  EXPECT_EQ(StoredRefresh(rt).revoked_at, 0);
  EXPECT_EQ(Refresh(rt).status, 200);
}

TEST_P(RefreshTokenGrant, DisabledUserIsInvalidGrant) {
  std::string rt = Start();
  core::User u = alice_;
  u.enabled = false;
  SaveUser(u);
  ExpectError(Refresh(rt), "invalid_grant");
}

TEST_P(RefreshTokenGrant, DeletedUserIsInvalidGrant) {
  std::string rt = Start("openid offline_access");
  ASSERT_TRUE(users_->Delete(Ctx(), "acme", alice_.id));
  ExpectError(Refresh(rt), "invalid_grant");
}

TEST_P(RefreshTokenGrant, PublicClientRefreshesWithClientId) {
  std::string rt = Start("openid", "spa");
  EXPECT_EQ(Refresh(rt, "", "spa").status, 200);
}

TEST_P(RefreshTokenGrant, ClientRefreshTokenTtlOverridesTheRealmSlidingLifetime) {
  core::Client web = ClientNamed("web");
  web.refresh_token_ttl_s = 120;
  SaveClient(web);
  std::string rt = Start();
  EXPECT_EQ(StoredRefresh(rt).expires_at, clock_.NowMillis() + 120'000);
  clock_.Advance(std::chrono::seconds(121));
  ExpectError(Refresh(rt), "invalid_grant");
}

// design 014: the per-client access-token lifetime holds for refreshed access tokens too.
TEST_P(RefreshTokenGrant, ClientAccessTokenTtlAppliesToRefreshedAccessTokens) {
  core::Client web = ClientNamed("web");
  web.access_token_ttl_s = 90;
  SaveClient(web);
  http::WebResponse r = Refresh(Start());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(BodyOf(r)["expires_in"], 90);
}

IDM_OAUTH_BACKEND_SUITE(RefreshTokenGrant);

}  // namespace
}  // namespace idm::oauth::testing
