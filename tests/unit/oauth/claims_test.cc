// Standard claims by scope (OIDC Core §5.4), claim mappers, pairwise subjects (OIDC Core §8.1).
#include "idm/oauth/claims.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"

namespace idm::oauth {
namespace {

using core::Json;

core::User Alice() {
  core::User u;
  u.id = "0b5d7c1e-0000-4000-8000-000000000001";
  u.username = "alice";
  u.email = "alice@example.com";
  u.email_verified = true;
  u.first_name = "Alice";
  u.last_name = "Kim";
  u.updated_at = 1'700'000'123'456;
  u.attributes = {{"phone_number", {"+82 10 1234 5678"}},
                  {"phone_number_verified", {"true"}},
                  {"locale", {"ko-KR"}},
                  {"address.locality", {"Seoul"}},
                  {"address.country", {"KR"}},
                  {"department", {"R&D", "Ops"}}};
  return u;
}

TEST(StandardClaims, ProfileScopeGivesNamesUsernameAndUpdatedAtInSeconds) {
  Json c = StandardClaims(Alice(), {"openid", "profile"});
  EXPECT_EQ(c["name"], "Alice Kim");
  EXPECT_EQ(c["given_name"], "Alice");
  EXPECT_EQ(c["family_name"], "Kim");
  EXPECT_EQ(c["preferred_username"], "alice");
  EXPECT_EQ(c["locale"], "ko-KR");
  EXPECT_EQ(c["updated_at"], 1'700'000'123);
  EXPECT_FALSE(c.contains("email"));
  EXPECT_FALSE(c.contains("phone_number"));
}

TEST(StandardClaims, EmailScopeGivesEmailAndVerified) {
  Json c = StandardClaims(Alice(), {"email"});
  EXPECT_EQ(c, Json({{"email", "alice@example.com"}, {"email_verified", true}}));
  core::User no_email = Alice();
  no_email.email.clear();
  EXPECT_EQ(StandardClaims(no_email, {"email"}), Json::object());
}

TEST(StandardClaims, PhoneScopeReadsAttributes) {
  Json c = StandardClaims(Alice(), {"phone"});
  EXPECT_EQ(c, Json({{"phone_number", "+82 10 1234 5678"}, {"phone_number_verified", true}}));
  core::User unverified = Alice();
  unverified.attributes.erase("phone_number_verified");
  EXPECT_EQ(StandardClaims(unverified, {"phone"})["phone_number_verified"], false);
}

TEST(StandardClaims, AddressScopeBuildsTheAddressObject) {
  Json c = StandardClaims(Alice(), {"address"});
  EXPECT_EQ(c, Json({{"address", {{"locality", "Seoul"}, {"country", "KR"}}}}));
  core::User none = Alice();
  none.attributes.clear();
  EXPECT_EQ(StandardClaims(none, {"address"}), Json::object());
}

TEST(StandardClaims, OpenIdAloneAndUnknownScopesGiveNothing) {
  EXPECT_EQ(StandardClaims(Alice(), {"openid", "read", "offline_access"}), Json::object());
}

TEST(StandardClaims, NamesListCoversEveryProducedClaim) {
  std::vector<std::string> names = StandardClaimNames();
  Json all = StandardClaims(Alice(), {"profile", "email", "phone", "address"});
  for (auto it = all.begin(); it != all.end(); ++it) {
    EXPECT_NE(std::find(names.begin(), names.end(), it.key()), names.end()) << it.key();
  }
}

ClaimMapper Mapper(ClaimMapperKind kind, std::string claim, std::string source = "") {
  ClaimMapper m;
  m.kind = kind;
  m.claim_name = std::move(claim);
  m.source = std::move(source);
  return m;
}

ClaimSources Sources(const core::User& user) {
  ClaimSources s;
  s.user = &user;
  s.realm_roles = {"admin", "user"};
  s.client_roles = {{"billing", {"viewer"}}};
  s.group_paths = {"/eng", "/eng/platform"};
  return s;
}

TEST(ClaimMappers, EveryKindProducesItsValue) {
  core::User alice = Alice();
  ClaimMapper client_roles = Mapper(ClaimMapperKind::kClientRoles, "resource_access.billing.roles");
  client_roles.client_id = "billing";
  ClaimMapper dept = Mapper(ClaimMapperKind::kUserAttribute, "departments", "department");
  dept.multivalued = true;
  std::vector<ClaimMapper> mappers = {
      Mapper(ClaimMapperKind::kRealmRoles, "realm_access.roles"),
      client_roles,
      Mapper(ClaimMapperKind::kGroups, "groups"),
      Mapper(ClaimMapperKind::kFixedValue, "tenant", "acme-corp"),
      Mapper(ClaimMapperKind::kUserAttribute, "dept", "department"),
      dept,
      Mapper(ClaimMapperKind::kUserAttribute, "login", "username"),
  };
  Json claims = Json::object();
  ApplyMappers(mappers, Sources(alice), ClaimTarget::kIdToken, &claims);
  EXPECT_EQ(claims["realm_access"]["roles"], Json::array({"admin", "user"}));
  EXPECT_EQ(claims["resource_access"]["billing"]["roles"], Json::array({"viewer"}));
  EXPECT_EQ(claims["groups"], Json::array({"/eng", "/eng/platform"}));
  EXPECT_EQ(claims["tenant"], "acme-corp");
  EXPECT_EQ(claims["dept"], "R&D");
  EXPECT_EQ(claims["departments"], Json::array({"R&D", "Ops"}));
  EXPECT_EQ(claims["login"], "alice");
}

TEST(ClaimMappers, TargetsSelectWhichTokensGetTheClaim) {
  core::User alice = Alice();
  ClaimMapper m = Mapper(ClaimMapperKind::kFixedValue, "only_at", "x");
  m.in_id_token = false;
  m.in_userinfo = false;
  for (ClaimTarget t : {ClaimTarget::kIdToken, ClaimTarget::kAccessToken, ClaimTarget::kUserinfo}) {
    Json claims = Json::object();
    ApplyMappers({m}, Sources(alice), t, &claims);
    EXPECT_EQ(claims.contains("only_at"), t == ClaimTarget::kAccessToken);
  }
}

TEST(ClaimMappers, MissingValuesAddNothing) {
  core::User alice = Alice();
  ClaimMapper other_client = Mapper(ClaimMapperKind::kClientRoles, "roles");
  other_client.client_id = "nobody";
  Json claims = Json::object();
  ApplyMappers({other_client, Mapper(ClaimMapperKind::kUserAttribute, "x", "no_such_attr")},
               Sources(alice), ClaimTarget::kUserinfo, &claims);
  EXPECT_EQ(claims, Json::object());
}

TEST(ClaimMappers, DottedNamesNestAndEscapedDotsDoNot) {
  EXPECT_EQ(SplitClaimPath("a.b.c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitClaimPath("https://example\\.com/claims"),
            (std::vector<std::string>{"https://example.com/claims"}));
  core::User alice = Alice();
  Json claims = {{"a", "scalar"}};
  ApplyMappers({Mapper(ClaimMapperKind::kFixedValue, "a.b", "1"),
                Mapper(ClaimMapperKind::kFixedValue, "x\\.y", "2"),
                Mapper(ClaimMapperKind::kFixedValue, "bad..name", "3")},
               Sources(alice), ClaimTarget::kIdToken, &claims);
  EXPECT_EQ(claims, Json({{"a", {{"b", "1"}}}, {"x.y", "2"}}));
}

TEST(PairwiseSubject, IsBase64UrlHmacOfSectorAndUserId) {
  std::string expected = crypto::Base64UrlEncode(
      crypto::HmacSha256("secret", "client.example.org0b5d7c1e-0000-4000-8000-000000000001"));
  std::string sub =
      PairwiseSubject("secret", "client.example.org", "0b5d7c1e-0000-4000-8000-000000000001");
  EXPECT_EQ(sub, expected);
  EXPECT_EQ(sub.size(), 43u);
}

TEST(PairwiseSubject, DiffersPerSectorAndPerSecretAndIsStable) {
  const std::string user = "0b5d7c1e-0000-4000-8000-000000000001";
  std::string a = PairwiseSubject("k", "a.example", user);
  EXPECT_EQ(a, PairwiseSubject("k", "a.example", user));
  EXPECT_NE(a, PairwiseSubject("k", "b.example", user));
  EXPECT_NE(a, PairwiseSubject("k2", "a.example", user));
  EXPECT_NE(a, user);
}

TEST(PairwiseSubject, SectorIdentifierIsTheSingleRedirectHost) {
  core::Client c;
  c.redirect_uris = {"https://app.example/cb", "https://app.example/other"};
  auto sector = SectorIdentifier(c);
  ASSERT_TRUE(sector);
  EXPECT_EQ(*sector, "app.example");
  c.redirect_uris.push_back("https://other.example/cb");
  EXPECT_FALSE(SectorIdentifier(c));
  c.redirect_uris = {"com.example.app:/cb"};
  EXPECT_FALSE(SectorIdentifier(c));
  c.redirect_uris.clear();
  EXPECT_FALSE(SectorIdentifier(c));
}

TEST(SubjectFor, PublicClientsSeeTheUserId) {
  core::Client c;
  c.redirect_uris = {"https://app.example/cb"};
  auto sub = SubjectFor(c, "0b5d7c1e-0000-4000-8000-000000000001", "k");
  ASSERT_TRUE(sub);
  EXPECT_EQ(*sub, "0b5d7c1e-0000-4000-8000-000000000001");
}

TEST(SubjectFor, PairwiseClientsSeeAnHmacOverTheirSector) {
  const std::string user = "0b5d7c1e-0000-4000-8000-000000000001";
  core::Client by_host;
  by_host.subject_type = "pairwise";
  by_host.redirect_uris = {"https://app.example/cb"};
  auto sub = SubjectFor(by_host, user, "k");
  ASSERT_TRUE(sub);
  EXPECT_EQ(*sub, PairwiseSubject("k", "app.example", user));

  core::Client by_sector = by_host;
  by_sector.sector_identifier = "https://sector.example/ids.json";
  sub = SubjectFor(by_sector, user, "k");
  ASSERT_TRUE(sub);
  // OIDC Core §8.1: the host of the sector_identifier_uri is the sector.
  EXPECT_EQ(*sub, PairwiseSubject("k", "sector.example", user));

  core::Client no_sector;
  no_sector.subject_type = "pairwise";
  no_sector.redirect_uris = {"https://a.example/cb", "https://b.example/cb"};
  EXPECT_FALSE(SubjectFor(no_sector, user, "k"));
}

}  // namespace
}  // namespace idm::oauth
