// id_token_hint verification (OIDC Core §3.1.2.1): only a genuine ID token of this realm for
// this client names a user.
#include "idm/oauth/id_token_hint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "idm/crypto/jwt.h"
#include "idm/oauth/id_token.h"

namespace idm::oauth {
namespace {

using core::Json;

constexpr const char* kIssuer = "https://id.example.test/realms/acme";

class IdTokenHintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (crypto::JwsAlg alg : {crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256}) {
      auto key = crypto::SigningKey::Generate(alg);
      ASSERT_TRUE(key);
      keys_.published.Add(key->public_jwk());
      keys_.active.push_back(std::move(*key));
    }
    realm_.name = "acme";
    realm_.settings.default_signing_alg = "ES256";
  }
  std::string IdToken(const std::string& client_id, core::UnixSeconds iat = 1'700'000'000) {
    IdTokenRequest r;
    r.subject = "user-1";
    r.client_id = client_id;
    auto token = SignIdToken(keys_, realm_, kIssuer, r, iat);
    EXPECT_TRUE(token);
    return token ? *token : "";
  }
  std::string Signed(const Json& claims, const std::string& typ = "JWT") {
    auto jwt = crypto::JwtSign(*keys_.ActiveKey(crypto::JwsAlg::kEs256), claims, typ);
    EXPECT_TRUE(jwt);
    return jwt ? *jwt : "";
  }
  // One payload character changed (the signature no longer covers it).
  static std::string Tampered(std::string token) {
    char& c = token[token.find('.') + 10];
    c = c == 'A' ? 'B' : 'A';
    return token;
  }
  RealmKeys keys_;
  core::Realm realm_;
};

TEST_F(IdTokenHintTest, GenuineIdTokenGivesItsSubjectEvenWhenExpired) {
  auto sub = IdTokenHintSubject(IdToken("web", 1'000), keys_.published, kIssuer, "web");
  ASSERT_TRUE(sub) << sub.error().description;
  EXPECT_EQ(*sub, "user-1");
}

TEST_F(IdTokenHintTest, AudienceArrayContainingTheClientIsAccepted) {
  std::string t = Signed({{"iss", kIssuer}, {"sub", "u2"}, {"aud", {"other", "web"}}});
  auto sub = IdTokenHintSubject(t, keys_.published, kIssuer, "web");
  ASSERT_TRUE(sub) << sub.error().description;
  EXPECT_EQ(*sub, "u2");
}

TEST_F(IdTokenHintTest, RefusesEverythingElse) {
  auto foreign_key = crypto::SigningKey::Generate(crypto::JwsAlg::kEs256);
  ASSERT_TRUE(foreign_key);
  Json good = {{"iss", kIssuer}, {"sub", "u"}, {"aud", "web"}};
  Json other_iss = good;
  other_iss["iss"] = "https://id.example.test/realms/other";
  Json no_sub = good;
  no_sub.erase("sub");
  Json empty_sub = good;
  empty_sub["sub"] = "";
  Json no_aud = good;
  no_aud.erase("aud");
  struct Case {
    const char* name;
    std::string hint;
  };
  const std::vector<Case> cases = {
      {"other client's token", IdToken("other")},
      {"other realm's issuer", Signed(other_iss)},
      {"no sub", Signed(no_sub)},
      {"empty sub", Signed(empty_sub)},
      {"no aud", Signed(no_aud)},
      {"access token typ", Signed(good, "at+jwt")},
      {"unpublished key", *crypto::JwtSign(*foreign_key, good, "JWT")},
      {"tampered payload", Tampered(IdToken("web"))},
      {"unsigned alg none", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."},
      {"garbage", "not-a-jwt"},
  };
  for (const Case& c : cases) {
    auto sub = IdTokenHintSubject(c.hint, keys_.published, kIssuer, "web");
    ASSERT_FALSE(sub) << c.name;
    EXPECT_EQ(sub.error().code, AuthzErrorCode::kInvalidRequest) << c.name;
    EXPECT_FALSE(sub.error().redirectable) << c.name;
  }
}

}  // namespace
}  // namespace idm::oauth
