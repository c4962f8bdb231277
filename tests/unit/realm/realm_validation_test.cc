#include "idm/realm/realm_validation.h"

#include <gtest/gtest.h>

namespace idm::realm {
namespace {

TEST(RealmValidation, AcceptsLowerCaseNamesUpTo64Characters) {
  for (const std::string& name :
       std::vector<std::string>{"a", "master", "acme-prod", "x_1", "0abc", std::string(64, 'a')}) {
    EXPECT_TRUE(IsValidRealmName(name)) << name;
  }
}

TEST(RealmValidation, RejectsNamesOutsideTheGrammar) {
  for (const std::string& name : std::vector<std::string>{
           "", "Acme", "-acme", "_acme", "ac me", "acme/x", "acmé", "a.b", std::string(65, 'a')}) {
    EXPECT_FALSE(IsValidRealmName(name)) << name;
  }
}

TEST(RealmValidation, DefaultSettingsAreValid) {
  EXPECT_TRUE(ValidateRealmSettings(core::RealmSettings{}).empty());
}

TEST(RealmValidation, ReportsEachOutOfRangeSettingWithItsField) {
  struct Case {
    const char* field;
    void (*mutate)(core::RealmSettings&);
  };
  const Case cases[] = {
      {"settings.access_token_ttl_s", [](core::RealmSettings& s) { s.access_token_ttl_s = 0; }},
      {"settings.access_token_ttl_s", [](core::RealmSettings& s) { s.access_token_ttl_s = 86401; }},
      {"settings.id_token_ttl_s", [](core::RealmSettings& s) { s.id_token_ttl_s = -5; }},
      {"settings.refresh_token_ttl_s", [](core::RealmSettings& s) { s.refresh_token_ttl_s = 10; }},
      {"settings.refresh_token_max_ttl_s",
       [](core::RealmSettings& s) { s.refresh_token_max_ttl_s = s.refresh_token_ttl_s - 1; }},
      {"settings.sso_session_idle_s", [](core::RealmSettings& s) { s.sso_session_idle_s = 1; }},
      {"settings.sso_session_max_s",
       [](core::RealmSettings& s) { s.sso_session_max_s = s.sso_session_idle_s - 1; }},
      {"settings.authorization_code_ttl_s",
       [](core::RealmSettings& s) { s.authorization_code_ttl_s = 601; }},
      {"settings.default_signing_alg",
       [](core::RealmSettings& s) { s.default_signing_alg = "HS256"; }},
      {"settings.password_policy.min_length",
       [](core::RealmSettings& s) { s.password_policy.min_length = 7; }},
      {"settings.password_policy.max_length",
       [](core::RealmSettings& s) { s.password_policy.max_length = 63; }},
      {"settings.password_policy.min_length",
       [](core::RealmSettings& s) { s.password_policy.min_length = 300; }},
      {"settings.offline_token_max_ttl_s",
       [](core::RealmSettings& s) { s.offline_token_max_ttl_s = s.offline_token_ttl_s - 1; }},
      {"settings.login_flow_ttl_s", [](core::RealmSettings& s) { s.login_flow_ttl_s = 5; }},
      {"settings.brute_force_max_failures",
       [](core::RealmSettings& s) { s.brute_force_max_failures = 0; }},
      {"settings.brute_force_lockout_s",
       [](core::RealmSettings& s) { s.brute_force_lockout_s = 0; }},
      {"settings.key_rotation_interval_s",
       [](core::RealmSettings& s) { s.key_rotation_interval_s = 3600; }},
      {"settings.client_registration",
       [](core::RealmSettings& s) { s.client_registration = "anyone"; }},
  };
  for (const auto& c : cases) {
    core::RealmSettings s;
    c.mutate(s);
    auto v = ValidateRealmSettings(s);
    ASSERT_EQ(v.size(), 1u) << c.field;
    EXPECT_EQ(v[0].field, c.field);
  }
}

TEST(RealmValidation, BoundsDisplayNameAndReportsBadName) {
  core::Realm r;
  r.name = "Bad Name";
  r.display_name = std::string(256, 'x');
  auto v = ValidateRealm(r);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].field, "name");
  EXPECT_EQ(v[1].field, "display_name");
}

TEST(AttributeValidation, BoundsKeysValuesAndCounts) {
  std::vector<core::FieldViolation> out;
  AppendAttributeViolations({{"dept", {"eng"}}, {"x:y.z-1_2", {"a", "b"}}}, out);
  EXPECT_TRUE(out.empty());

  AppendAttributeViolations({{"bad key", {"v"}}}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].field, "attributes");

  out.clear();
  AppendAttributeViolations({{"k", {std::string(2049, 'v')}}}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].field, "attributes.k");

  out.clear();
  AppendAttributeViolations({{"k", std::vector<std::string>(101, "v")}}, out);
  ASSERT_EQ(out.size(), 1u);

  out.clear();
  core::Attributes many;
  for (int i = 0; i < 101; ++i) many["k" + std::to_string(i)] = {"v"};
  AppendAttributeViolations(many, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].field, "attributes");
}

}  // namespace
}  // namespace idm::realm
