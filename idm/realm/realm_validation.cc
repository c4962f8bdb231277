// Realm validation; see realm_validation.h.
#include "idm/realm/realm_validation.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace idm::realm {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr size_t kMaxDisplayName = 255;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

void CheckRange(std::vector<core::FieldViolation>& out, const std::string& field, int64_t value,
                int64_t min, int64_t max) {
  if (value < min || value > max) {
    out.push_back(
        {field, "must be between " + std::to_string(min) + " and " + std::to_string(max)});
  }
}

void CheckPasswordPolicy(std::vector<core::FieldViolation>& out, const core::PasswordPolicy& p) {
  // NIST SP 800-63B §5.1.1.2: at least 8 characters, and at least 64 must be allowed.
  CheckRange(out, "settings.password_policy.max_length", p.max_length, 64, 1024);
  CheckRange(out, "settings.password_policy.min_length", p.min_length, 8,
             p.max_length < 64 ? 1024 : p.max_length);
}

// docs/design/020: mfa_methods names known second-factor methods (each once); acr_levels is a
// non-empty subset of the levels, weakest first, without repeats.
void CheckMfaMethodsAndLevels(std::vector<core::FieldViolation>& out,
                              const core::RealmSettings& s) {
  static const std::set<std::string> kMethods = {"totp", "recovery_code", "webauthn", "email",
                                                 "hotp"};
  std::set<std::string> seen;
  for (const std::string& m : s.mfa_methods) {
    if (!kMethods.count(m) || !seen.insert(m).second) {
      out.push_back({"settings.mfa_methods", "must list each of totp, hotp, recovery_code, webauthn, email at most once"});
      break;
    }
  }
  static const std::vector<std::string> kLevels = {"pwd", "mfa", "phishing-resistant"};
  size_t next = 0;
  bool ok = !s.acr_levels.empty();
  for (const std::string& level : s.acr_levels) {
    while (next < kLevels.size() && kLevels[next] != level) ++next;
    ok = ok && next < kLevels.size();
    ++next;
  }
  if (!ok) {
    out.push_back({"settings.acr_levels",
                   "must be a non-empty subset of pwd, mfa, phishing-resistant, in that order"});
  }
}

}  // namespace

bool IsValidRealmName(const std::string& name) {
  if (name.empty() || name.size() > 64 || !IsLowerAlnum(name[0])) return false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::vector<core::FieldViolation> ValidateRealmSettings(const core::RealmSettings& s) {
  std::vector<core::FieldViolation> out;
  // RFC 9700 §2.2 wants short-lived access tokens; a day is the outer limit we allow.
  CheckRange(out, "settings.access_token_ttl_s", s.access_token_ttl_s, 30, kDay);
  CheckRange(out, "settings.id_token_ttl_s", s.id_token_ttl_s, 30, kDay);
  CheckRange(out, "settings.refresh_token_ttl_s", s.refresh_token_ttl_s, kMinute, 365 * kDay);
  CheckRange(out, "settings.refresh_token_max_ttl_s", s.refresh_token_max_ttl_s,
             s.refresh_token_ttl_s, 2 * 365 * kDay);
  CheckRange(out, "settings.sso_session_idle_s", s.sso_session_idle_s, kMinute, 30 * kDay);
  CheckRange(out, "settings.sso_session_max_s", s.sso_session_max_s, s.sso_session_idle_s,
             365 * kDay);
  // RFC 6749 §4.1.2: an authorization code lives at most 10 minutes.
  CheckRange(out, "settings.authorization_code_ttl_s", s.authorization_code_ttl_s, 10,
             10 * kMinute);
  static const std::set<std::string> kAlgs = {"ES256", "RS256", "PS256", "EdDSA"};
  if (!kAlgs.count(s.default_signing_alg)) {
    out.push_back({"settings.default_signing_alg", "must be one of ES256, RS256, PS256, EdDSA"});
  }
  CheckRange(out, "settings.offline_token_ttl_s", s.offline_token_ttl_s, kMinute, 2 * 365 * kDay);
  CheckRange(out, "settings.offline_token_max_ttl_s", s.offline_token_max_ttl_s,
             s.offline_token_ttl_s, 5 * 365 * kDay);
  CheckRange(out, "settings.login_flow_ttl_s", s.login_flow_ttl_s, kMinute, kDay);
  CheckRange(out, "settings.brute_force_max_failures", s.brute_force_max_failures, 1, 1000);
  CheckRange(out, "settings.brute_force_ip_max_failures", s.brute_force_ip_max_failures, 1, 100000);
  CheckRange(out, "settings.brute_force_window_s", s.brute_force_window_s, kMinute, 30 * kDay);
  CheckRange(out, "settings.brute_force_lockout_s", s.brute_force_lockout_s, 1, 30 * kDay);
  CheckRange(out, "settings.brute_force_max_delay_ms", s.brute_force_max_delay_ms, 0, 60000);
  if (s.key_rotation_interval_s != 0) {
    CheckRange(out, "settings.key_rotation_interval_s", s.key_rotation_interval_s, kDay,
               5 * 365 * kDay);
  }
  static const std::set<std::string> kRegistration = {"disabled", "initial_access_token", "open"};
  if (!kRegistration.count(s.client_registration)) {
    out.push_back({"settings.client_registration",
                   "must be one of disabled, initial_access_token, open"});
  }
  static const std::set<std::string> kMfaPolicies = {"off", "optional", "required"};
  if (!kMfaPolicies.count(s.mfa_policy)) {
    out.push_back({"settings.mfa_policy", "must be one of off, optional, required"});
  }
  CheckRange(out, "settings.mfa_enrollment_grace_s", s.mfa_enrollment_grace_s, 0, 365 * kDay);
  CheckMfaMethodsAndLevels(out, s);
  if (s.webauthn_user_verification != "required" && s.webauthn_user_verification != "preferred") {
    out.push_back({"settings.webauthn_user_verification", "must be one of required, preferred"});
  }
  // docs/design/019: an emailed code lives minutes, not hours (1 minute to 1 hour).
  CheckRange(out, "settings.email_code_ttl_s", s.email_code_ttl_s, kMinute, 60 * kMinute);
  // docs/design/023: re-authentication for the security page, 1 second to 1 hour.
  CheckRange(out, "settings.account_reauth_s", s.account_reauth_s, 1, 60 * kMinute);
  CheckPasswordPolicy(out, s.password_policy);
  return out;
}

void AppendAttributeViolations(const core::Attributes& attributes,
                               std::vector<core::FieldViolation>& out) {
  constexpr size_t kMaxKeys = 100, kMaxValues = 100, kMaxKey = 255, kMaxValue = 2048;
  if (attributes.size() > kMaxKeys) out.push_back({"attributes", "at most 100 keys"});
  for (const auto& [key, values] : attributes) {
    bool key_ok = !key.empty() && key.size() <= kMaxKey;
    for (char c : key) {
      bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '_' || c == ':' || c == '-';
      key_ok = key_ok && allowed;
    }
    if (!key_ok) {
      out.push_back({"attributes", "keys must match [A-Za-z0-9._:-]{1,255}"});
      continue;
    }
    if (values.size() > kMaxValues) out.push_back({"attributes." + key, "at most 100 values"});
    for (const auto& v : values) {
      if (v.size() > kMaxValue) {
        out.push_back({"attributes." + key, "values must be at most 2048 bytes"});
        break;
      }
    }
  }
}

std::vector<core::FieldViolation> ValidateRealm(const core::Realm& realm) {
  std::vector<core::FieldViolation> out;
  if (!IsValidRealmName(realm.name)) {
    out.push_back({"name", "must match [a-z0-9][a-z0-9_-]{0,63}"});
  }
  if (realm.display_name.size() > kMaxDisplayName) {
    out.push_back({"display_name", "must be at most 255 bytes"});
  }
  auto settings = ValidateRealmSettings(realm.settings);
  out.insert(out.end(), settings.begin(), settings.end());
  return out;
}

}  // namespace idm::realm
