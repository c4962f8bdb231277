// ID tokens (OIDC Core §2, §3.1.3.6): every claim, at_hash per alg, the key choice, and the
// signature checked against the published JWKS.
#include "idm/oauth/id_token.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "idm/crypto/jwt.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

constexpr const char* kIssuer = "https://id.example.test/realms/acme";

// An access token and its at_hash for RS256 (SHA-256) and EdDSA/Ed25519 (SHA-512), from the test
// suite of panva/oidc-token-hash (README "Validating"); re-derived with `openssl dgst`.
constexpr const char* kAccessToken =
    "YmJiZTAwYmYtMzgyOC00NzhkLTkyOTItNjJjNDM3MGYzOWIy9sFhvH8K_x8UIHj1osisS57f5DduL-ar_qw5jl3lthwpMj"
    "m283aVMQXDmoqqqydDSqJfbhptzw8rUVwkuQbolw";

RealmKeys KeysFor(const std::vector<crypto::JwsAlg>& algs) {
  RealmKeys keys;
  for (crypto::JwsAlg alg : algs) {
    auto key = crypto::SigningKey::Generate(alg);
    EXPECT_TRUE(key);
    keys.published.Add(key->public_jwk());
    keys.active.push_back(std::move(*key));
  }
  return keys;
}

core::Realm AcmeRealm(const std::string& default_alg = "ES256") {
  core::Realm r;
  r.name = "acme";
  r.settings.default_signing_alg = default_alg;
  r.settings.id_token_ttl_s = 600;
  return r;
}

IdTokenRequest FullRequest() {
  IdTokenRequest r;
  r.subject = "user-1";
  r.client_id = "web";
  r.auth_time = 1'699'999'000;
  r.nonce = "n-0S6_WzA2Mj";
  r.acr = "urn:idm:acr:mfa";
  r.amr = {"pwd", "otp"};
  r.sid = "sess-9";
  r.access_token = kAccessToken;
  return r;
}

crypto::Jwt Verify(const std::string& token, const RealmKeys& keys, crypto::JwsAlg alg,
                   core::UnixSeconds now) {
  crypto::JwtValidation v;
  v.allowed_algs = {alg};
  v.now = now;
  v.issuer = kIssuer;
  v.audience = "web";
  auto jwt = crypto::JwtVerify(token, keys.published, v);
  EXPECT_TRUE(jwt) << jwt.error().message;
  return jwt ? *jwt : crypto::Jwt{};
}

TEST(IdToken, AtHashIsLeftHalfOfSha256ForEs256Rs256Ps256) {
  EXPECT_EQ(TokenHash(kAccessToken, crypto::JwsAlg::kRs256), "x7vk7f6BvQj0jQHYFIk4ag");
  EXPECT_EQ(TokenHash(kAccessToken, crypto::JwsAlg::kEs256), "x7vk7f6BvQj0jQHYFIk4ag");
  EXPECT_EQ(TokenHash(kAccessToken, crypto::JwsAlg::kPs256), "x7vk7f6BvQj0jQHYFIk4ag");
}

TEST(IdToken, AtHashIsLeftHalfOfSha512ForEdDsa) {
  EXPECT_EQ(TokenHash(kAccessToken, crypto::JwsAlg::kEdDsa),
            "EGEAhGYyfuwDaVTifvrWSoD5MSy_5hZPy6I7Vm-7pTQ");
}

TEST(IdToken, ClaimsFollowOidcCoreSection2) {
  Json c = IdTokenClaims(kIssuer, FullRequest(), crypto::JwsAlg::kEs256, 1'700'000'000, 600);
  EXPECT_EQ(c["iss"], kIssuer);
  EXPECT_EQ(c["sub"], "user-1");
  EXPECT_EQ(c["aud"], "web");
  EXPECT_EQ(c["azp"], "web");
  EXPECT_EQ(c["iat"], 1'700'000'000);
  EXPECT_EQ(c["exp"], 1'700'000'600);
  EXPECT_EQ(c["auth_time"], 1'699'999'000);
  EXPECT_EQ(c["nonce"], "n-0S6_WzA2Mj");
  EXPECT_EQ(c["acr"], "urn:idm:acr:mfa");
  EXPECT_EQ(c["amr"], Json::array({"pwd", "otp"}));
  EXPECT_EQ(c["sid"], "sess-9");
  EXPECT_EQ(c["at_hash"], "x7vk7f6BvQj0jQHYFIk4ag");
}

TEST(IdToken, OptionalClaimsAreLeftOutWhenUnknown) {
  IdTokenRequest r;
  r.subject = "u";
  r.client_id = "c";
  Json c = IdTokenClaims(kIssuer, r, crypto::JwsAlg::kEs256, 100, 10);
  for (const char* name : {"auth_time", "nonce", "acr", "amr", "sid", "at_hash"}) {
    EXPECT_FALSE(c.contains(name)) << name;
  }
  EXPECT_EQ(c.size(), 6u);  // iss sub aud azp iat exp
}

TEST(IdToken, ExtraClaimsCannotReplaceProtocolClaims) {
  IdTokenRequest r = FullRequest();
  r.nonce.clear();
  r.extra_claims = {{"sub", "admin"},        {"nonce", "forged"},     {"at_hash", "x"},
                    {"aud", "other"},        {"iss", "https://evil"}, {"exp", 1},
                    {"email", "a@b.example"}};
  Json c = IdTokenClaims(kIssuer, r, crypto::JwsAlg::kEs256, 100, 10);
  EXPECT_EQ(c["sub"], "user-1");
  EXPECT_FALSE(c.contains("nonce"));
  EXPECT_EQ(c["at_hash"], "x7vk7f6BvQj0jQHYFIk4ag");
  EXPECT_EQ(c["aud"], "web");
  EXPECT_EQ(c["iss"], kIssuer);
  EXPECT_EQ(c["exp"], 110);
  EXPECT_EQ(c["email"], "a@b.example");
}

TEST(IdToken, SignedWithEveryAlgAndVerifiedWithPublishedKeys) {
  const std::vector<crypto::JwsAlg> algs = {crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256,
                                            crypto::JwsAlg::kPs256, crypto::JwsAlg::kEdDsa};
  RealmKeys keys = KeysFor(algs);
  for (crypto::JwsAlg alg : algs) {
    std::string name(crypto::JwsAlgName(alg));
    auto token = SignIdToken(keys, AcmeRealm(name), kIssuer, FullRequest(), 1'700'000'000);
    ASSERT_TRUE(token) << name << ": " << token.error().detail;
    crypto::Jwt jwt = Verify(*token, keys, alg, 1'700'000'001);
    EXPECT_EQ(jwt.header["alg"], name);
    EXPECT_EQ(jwt.header["typ"], "JWT");
    EXPECT_EQ(jwt.kid, keys.ActiveKey(alg)->kid()) << name;
    EXPECT_EQ(jwt.claims["at_hash"], TokenHash(kAccessToken, alg)) << name;
    EXPECT_EQ(jwt.claims["exp"], 1'700'000'600) << name;
    EXPECT_EQ(jwt.claims["nonce"], "n-0S6_WzA2Mj") << name;
  }
}

TEST(IdToken, ClientAlgOverridesRealmDefault) {
  RealmKeys keys = KeysFor({crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256});
  core::Client client;
  client.id_token_signed_response_alg = "RS256";
  IdTokenRequest r = FullRequest();
  r.signing_alg = ClientIdTokenAlg(client);
  auto token = SignIdToken(keys, AcmeRealm("ES256"), kIssuer, r, 1'700'000'000);
  ASSERT_TRUE(token) << token.error().detail;
  crypto::Jwt jwt = Verify(*token, keys, crypto::JwsAlg::kRs256, 1'700'000'000);
  EXPECT_EQ(jwt.header["alg"], "RS256");
  EXPECT_EQ(ClientIdTokenAlg(core::Client{}), "");
}

TEST(IdToken, AlgWithoutActiveKeyOrUnknownAlgFails) {
  RealmKeys keys = KeysFor({crypto::JwsAlg::kEs256});
  IdTokenRequest r = FullRequest();
  r.signing_alg = "EdDSA";
  auto missing = SignIdToken(keys, AcmeRealm(), kIssuer, r, 1);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ServiceErrorCode::kFailedPrecondition);
  for (const char* bad : {"HS256", "none", "ES512"}) {
    r.signing_alg = bad;
    auto refused = SignIdToken(keys, AcmeRealm(), kIssuer, r, 1);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, core::ServiceErrorCode::kInvalidArgument) << bad;
  }
}

class IdTokenMinterTest : public OAuthTest {};

TEST_F(IdTokenMinterTest, MintsWithRealmKeysVerifiableWithServedJwks) {
  IdTokenMinter minter(kPublicUrl, *keys_);
  core::Realm realm = Realm();
  auto token = minter.Mint(realm, FullRequest(), clock_.NowMillis());
  ASSERT_TRUE(token) << token.error().detail;

  http::WebRequest get;
  get.method = "GET";
  get.path = "/realms/acme/protocol/openid-connect/certs";
  http::WebResponse jwks = Serve(get);
  ASSERT_EQ(jwks.status, 200);
  auto set = crypto::JwkSet::FromJson(Json::parse(jwks.body));
  ASSERT_TRUE(set);
  crypto::JwtValidation v;
  v.allowed_algs = {crypto::JwsAlg::kEs256};
  v.now = clock_.NowSeconds();
  v.issuer = std::string(kPublicUrl) + "/realms/acme";
  v.audience = "web";
  auto jwt = crypto::JwtVerify(*token, *set, v);
  ASSERT_TRUE(jwt) << jwt.error().message;
  EXPECT_EQ(jwt->claims["exp"], clock_.NowSeconds() + realm.settings.id_token_ttl_s);
  EXPECT_EQ(jwt->claims["sub"], "user-1");
}

}  // namespace
}  // namespace idm::oauth::testing
