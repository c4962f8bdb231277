// RFC 7662 introspection and RFC 7009 revocation over a real SQLite store.
#include "idm/oauth/token_inspection.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/oauth/user_grant_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

class TokenInspection : public OnEachBackend<UserGrantTest> {
 protected:
  void SetUp() override {
    UserGrantTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    tokens_ = RedeemOk(IssueCode({.scope = "openid read"}));
  }
  Json Introspect(const std::string& token, const std::string& client = "other",
                  const std::string& extra = "") {
    http::WebResponse r = PostAs("/token/introspect", "token=" + UrlEncode(token) + extra, client);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(HeaderValue(r, "Cache-Control"), "no-store");
    return BodyOf(r);
  }
  http::WebResponse Revoke(const std::string& token, const std::string& client = "web") {
    return PostAs("/revoke", "token=" + UrlEncode(token), client);
  }
  std::string At() const { return tokens_["access_token"]; }
  std::string Rt() const { return tokens_["refresh_token"]; }

  Json tokens_;
};

TEST_P(TokenInspection, ValidAccessTokenIsActiveWithItsClaims) {
  Json j = Introspect(At());
  EXPECT_EQ(j["active"], true);
  EXPECT_EQ(j["client_id"], "web");
  EXPECT_EQ(j["sub"], alice_.id);
  EXPECT_EQ(j["scope"], "openid read");
  EXPECT_EQ(j["token_type"], "Bearer");
  EXPECT_EQ(j["sid"], session_id_);
  EXPECT_EQ(j["iss"], std::string(kPublicUrl) + "/realms/acme");
  EXPECT_GT(j["exp"].get<int64_t>(), clock_.NowSeconds());
}

TEST_P(TokenInspection, ExpiredAccessTokenIsInactive) {
  clock_.Advance(std::chrono::seconds(realm_.settings.access_token_ttl_s + 60));
  EXPECT_EQ(Introspect(At()), Json({{"active", false}}));
}

TEST_P(TokenInspection, TamperedAccessTokenIsInactive) {
  std::string at = At();
  at[at.size() - 3] = at[at.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Introspect(at), Json({{"active", false}}));
}

// RFC 8725 §3.1: "alg": "none" is never accepted; the genuine claims with the signature stripped
// are inactive (RFC 7662 §2.2).
TEST_P(TokenInspection, AlgNoneAccessTokenIsInactive) {
  std::string at = At();
  size_t first_dot = at.find('.');
  size_t second_dot = at.find('.', first_dot + 1);
  ASSERT_NE(second_dot, std::string::npos);
  std::string header = crypto::Base64UrlEncode(Json{{"alg", "none"}, {"typ", "at+jwt"}}.dump());
  std::string unsigned_token = header + at.substr(first_dot, second_dot - first_dot) + ".";
  EXPECT_EQ(Introspect(unsigned_token), Json({{"active", false}}));
}

TEST_P(TokenInspection, AccessTokenOfARevokedSessionIsInactive) {
  RevokeSession();
  EXPECT_EQ(Introspect(At()), Json({{"active", false}}));
}

TEST_P(TokenInspection, AccessTokenOfAnotherRealmIsInactive) {
  core::Realm draft;
  draft.name = "other";
  auto other = realms_->Create(Ctx(), draft);
  ASSERT_TRUE(other);
  ASSERT_TRUE(keys_->EnsureKeys(Ctx(), *other));
  core::Client c;
  c.client_id = "rs";
  c.name = "rs";
  c.grant_types = {"client_credentials"};
  auto created = clients_->Create(Ctx(), "other", c);
  ASSERT_TRUE(created);
  http::WebRequest r = TokenRequest("token=" + At());
  r.path = "/realms/other/protocol/openid-connect/token/introspect";
  AddBasic(&r, "rs", created->secret);
  http::WebResponse resp = Serve(r);
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(BodyOf(resp), Json({{"active", false}}));
}

TEST_P(TokenInspection, RefreshTokenIsActiveByHash) {
  Json j = Introspect(Rt(), "other", "&token_type_hint=refresh_token");
  EXPECT_EQ(j["active"], true);
  EXPECT_EQ(j["token_type"], "refresh_token");
  EXPECT_EQ(j["client_id"], "web");
  EXPECT_EQ(j["sub"], alice_.id);
  EXPECT_EQ(j["scope"], "openid read");
}

TEST_P(TokenInspection, WrongHintIsOnlyAHint) {
  EXPECT_EQ(Introspect(Rt(), "other", "&token_type_hint=access_token")["active"], true);
  EXPECT_EQ(Introspect(At(), "other", "&token_type_hint=refresh_token")["active"], true);
}

TEST_P(TokenInspection, RotatedRefreshTokenIsInactive) {
  ASSERT_EQ(Refresh(Rt()).status, 200);
  EXPECT_EQ(Introspect(Rt()), Json({{"active", false}}));
}

TEST_P(TokenInspection, UnknownTokenIsInactive) {
  EXPECT_EQ(Introspect("idm_rt_nothing"), Json({{"active", false}}));
  EXPECT_EQ(Introspect("not-a-token"), Json({{"active", false}}));
}

TEST_P(TokenInspection, IntrospectionWithoutClientAuthenticationIsInvalidClient) {
  http::WebResponse r = PostAs("/token/introspect", "token=" + At(), "");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(BodyOf(r).value("error", ""), "invalid_client");
}

TEST_P(TokenInspection, IntrospectionByAPublicClientIsInvalidClient) {
  http::WebResponse r = PostAs("/token/introspect", "token=" + At(), "spa");
  EXPECT_EQ(r.status, 401) << r.body;
}

TEST_P(TokenInspection, IntrospectionWithoutTokenIsInvalidRequest) {
  http::WebResponse r = PostAs("/token/introspect", "x=1", "other");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(BodyOf(r).value("error", ""), "invalid_request");
}

TEST_P(TokenInspection, RevokedRefreshTokenCanNoLongerRefresh) {
  http::WebResponse r = Revoke(Rt());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(StoredRefresh(Rt()).revoked_at, 0);
  EXPECT_EQ(Refresh(Rt()).status, 400);
  EXPECT_EQ(Introspect(Rt()), Json({{"active", false}}));
  auto types = AuditTypes();
  EXPECT_NE(std::find(types.begin(), types.end(), "RefreshTokenRevoked"), types.end());
}

TEST_P(TokenInspection, RevokingRevokesTheWholeFamily) {
  std::string rt2 = BodyOf(Refresh(Rt()))["refresh_token"];
  ASSERT_EQ(Revoke(Rt()).status, 200);
  EXPECT_NE(StoredRefresh(rt2).revoked_at, 0);
}

TEST_P(TokenInspection, AnotherClientsTokenIsNotRevokedButAnswered200) {
  http::WebResponse r = Revoke(Rt(), "other");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(StoredRefresh(Rt()).revoked_at, 0);
  EXPECT_EQ(Refresh(Rt()).status, 200);
}

TEST_P(TokenInspection, UnknownTokenRevocationIs200) {
  EXPECT_EQ(Revoke("idm_rt_nothing").status, 200);
}

TEST_P(TokenInspection, AccessTokenRevocationIsUnsupportedTokenType) {
  http::WebResponse r = Revoke(At());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(BodyOf(r).value("error", ""), "unsupported_token_type");
}

TEST_P(TokenInspection, PublicClientRevokesItsOwnToken) {
  Json spa = RedeemOk(IssueCode({.client = "spa"}), "spa");
  EXPECT_EQ(Revoke(spa["refresh_token"], "spa").status, 200);
  EXPECT_NE(StoredRefresh(spa["refresh_token"]).revoked_at, 0);
}

TEST_P(TokenInspection, RevocationWithWrongSecretIsInvalidClient) {
  http::WebRequest r = TokenRequest("token=" + Rt());
  r.path = "/realms/acme/protocol/openid-connect/revoke";
  AddBasic(&r, "web", "wrong");
  http::WebResponse resp = Serve(r);
  EXPECT_EQ(resp.status, 401);
  EXPECT_EQ(StoredRefresh(Rt()).revoked_at, 0);
}

IDM_OAUTH_BACKEND_SUITE(TokenInspection);

}  // namespace
}  // namespace idm::oauth::testing
