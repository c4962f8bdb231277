// core::RealmSettingsToJson / ReadRealmSettings: the one settings document the store, the admin
// API and realm export/import share.
#include "idm/core/realm_settings_json.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace idm::core {
namespace {

RealmSettings NonDefaultSettings() {
  RealmSettings s;
  s.access_token_ttl_s = 61;
  s.default_signing_alg = "EdDSA";
  s.client_registration = "open";
  s.brute_force_max_delay_ms = 7;
  s.password_policy.min_length = 9;
  s.password_policy.require_symbol = true;
  return s;
}

TEST(RealmSettingsJson, RoundTripsEveryVisitedField) {
  RealmSettings written = NonDefaultSettings();
  RealmSettings read;
  ReadRealmSettings(RealmSettingsToJson(written), read);
  EXPECT_EQ(RealmSettingsToJson(read), RealmSettingsToJson(written));
  EXPECT_EQ(read.access_token_ttl_s, 61);
  EXPECT_EQ(read.default_signing_alg, "EdDSA");
  EXPECT_EQ(read.password_policy.min_length, 9);
  EXPECT_TRUE(read.password_policy.require_symbol);
}

TEST(RealmSettingsJson, WritesEachFieldOnceWithThePolicyNested) {
  const RealmSettings defaults;
  Json j = RealmSettingsToJson(defaults);
  std::set<std::string> names;
  VisitRealmSettings(defaults, [&](const char* name, const auto&) {
    EXPECT_TRUE(names.insert(name).second) << "visited twice: " << name;
    EXPECT_TRUE(j.contains(name)) << name;
  });
  EXPECT_EQ(j.size(), names.size() + 1);  // + password_policy
  ASSERT_TRUE(j["password_policy"].is_object());
  EXPECT_EQ(j["password_policy"]["min_length"], 12);
}

TEST(RealmSettingsJson, AbsentAndNullKeysKeepTheCurrentValues) {
  RealmSettings s = NonDefaultSettings();
  ReadRealmSettings(Json{{"id_token_ttl_s", 99},
                         {"access_token_ttl_s", nullptr},
                         {"password_policy", nullptr},
                         {"unknown_setting", "ignored"}},
                    s);
  EXPECT_EQ(s.id_token_ttl_s, 99);
  EXPECT_EQ(s.access_token_ttl_s, 61);
  EXPECT_EQ(s.password_policy.min_length, 9);
}

TEST(RealmSettingsJson, AWrongTypeThrows) {
  RealmSettings s;
  EXPECT_THROW(ReadRealmSettings(Json{{"access_token_ttl_s", "five"}}, s), Json::exception);
  EXPECT_THROW(ReadRealmSettings(Json{{"password_policy", 3}}, s), Json::exception);
  EXPECT_THROW(ReadRealmSettings(Json::array(), s), Json::exception);
}

}  // namespace
}  // namespace idm::core
