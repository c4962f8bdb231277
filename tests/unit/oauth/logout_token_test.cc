// Logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4): claims, typ, key choice.
#include "idm/oauth/logout_token.h"

#include <gtest/gtest.h>

#include "idm/crypto/jwt.h"

namespace idm::oauth {
namespace {

constexpr const char* kAcmeIssuer = "https://id.example.test/realms/acme";

RealmKeys KeysFor(std::initializer_list<crypto::JwsAlg> algs) {
  RealmKeys keys;
  for (crypto::JwsAlg alg : algs) {
    auto key = crypto::SigningKey::Generate(alg);
    EXPECT_TRUE(key);
    keys.published.Add(key->public_jwk());
    keys.active.push_back(std::move(*key));
  }
  return keys;
}

core::Realm AcmeRealm() {
  core::Realm r;
  r.name = "acme";
  r.settings.default_signing_alg = "ES256";
  return r;
}

LogoutTokenRequest Request() {
  LogoutTokenRequest r;
  r.client_id = "web";
  r.subject = "user-1";
  r.sid = "sess-1";
  r.jti = "6a1f0c2e-1111-4222-8333-444455556666";
  return r;
}

TEST(LogoutToken, CarriesTheBackchannelEventSubSidJtiAndNoNonce) {
  core::Json c = LogoutTokenClaims(kAcmeIssuer, Request(), 1'700'000'000, 120);
  EXPECT_EQ(c["iss"], kAcmeIssuer);
  EXPECT_EQ(c["aud"], "web");
  EXPECT_EQ(c["iat"], 1'700'000'000);
  EXPECT_EQ(c["exp"], 1'700'000'120);
  EXPECT_EQ(c["sub"], "user-1");
  EXPECT_EQ(c["sid"], "sess-1");
  EXPECT_EQ(c["jti"], "6a1f0c2e-1111-4222-8333-444455556666");
  ASSERT_TRUE(c["events"].is_object());
  EXPECT_TRUE(c["events"][std::string(kBackchannelLogoutEvent)].is_object());
  EXPECT_FALSE(c.contains("nonce"));  // §2.4: MUST NOT
}

TEST(LogoutToken, LeavesOutAnAbsentSubOrSid) {
  LogoutTokenRequest r = Request();
  r.subject.clear();
  EXPECT_FALSE(LogoutTokenClaims(kAcmeIssuer, r, 1, 120).contains("sub"));
  r = Request();
  r.sid.clear();
  EXPECT_FALSE(LogoutTokenClaims(kAcmeIssuer, r, 1, 120).contains("sid"));
}

TEST(LogoutToken, IsSignedWithTheClientsIdTokenAlgAndTypedLogoutJwt) {
  RealmKeys keys = KeysFor({crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256});
  LogoutTokenRequest r = Request();
  r.signing_alg = "RS256";
  auto token = SignLogoutToken(keys, AcmeRealm(), kAcmeIssuer, r, 1'700'000'000);
  ASSERT_TRUE(token) << token.error().detail;
  crypto::JwtValidation v;
  v.allowed_algs = {crypto::JwsAlg::kRs256};
  v.now = 1'700'000'010;
  v.issuer = kAcmeIssuer;
  v.audience = "web";
  v.typ = "logout+jwt";
  auto jwt = crypto::JwtVerify(*token, keys.published, v);
  ASSERT_TRUE(jwt) << jwt.error().message;
  EXPECT_EQ(jwt->claims["sid"], "sess-1");
  v.allowed_algs = {crypto::JwsAlg::kEs256};
  EXPECT_FALSE(crypto::JwtVerify(*token, keys.published, v));
}

TEST(LogoutToken, RefusesATokenWithNeitherSubNorSid) {
  RealmKeys keys = KeysFor({crypto::JwsAlg::kEs256});
  LogoutTokenRequest r = Request();
  r.subject.clear();
  r.sid.clear();
  auto token = SignLogoutToken(keys, AcmeRealm(), kAcmeIssuer, r, 1);
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, core::ServiceErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace idm::oauth
