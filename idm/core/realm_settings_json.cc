#include "idm/core/realm_settings_json.h"

namespace idm::core {
namespace {

Json ToObject(const auto& fields, auto visit_fields) {
  Json out = Json::object();
  visit_fields(fields, [&](const char* name, const auto& value) { out[name] = value; });
  return out;
}

void ReadObject(const Json& j, auto& fields, auto visit_fields) {
  visit_fields(fields, [&](const char* name, auto& value) {
    auto it = j.find(name);
    if (it != j.end() && !it->is_null()) {
      value = it->template get<std::remove_cvref_t<decltype(value)>>();
    }
  });
}

}  // namespace

Json RealmSettingsToJson(const RealmSettings& s) {
  Json out = ToObject(s, [](const RealmSettings& r, auto&& f) { VisitRealmSettings(r, f); });
  out["password_policy"] = ToObject(
      s.password_policy, [](const PasswordPolicy& p, auto&& f) { VisitPasswordPolicy(p, f); });
  return out;
}

void ReadRealmSettings(const Json& j, RealmSettings& s) {
  if (!j.is_object()) throw Json::type_error::create(302, "realm settings must be an object", &j);
  ReadObject(j, s, [](RealmSettings& r, auto&& f) { VisitRealmSettings(r, f); });
  auto policy = j.find("password_policy");
  if (policy == j.end() || policy->is_null()) return;
  if (!policy->is_object()) {
    throw Json::type_error::create(302, "password_policy must be an object", &*policy);
  }
  ReadObject(*policy, s.password_policy,
             [](PasswordPolicy& p, auto&& f) { VisitPasswordPolicy(p, f); });
}

}  // namespace idm::core
