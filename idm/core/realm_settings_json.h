// The one list of a realm's settings (core::RealmSettings) and their JSON names, shared by the
// store (a JSON TEXT column), the admin API and realm export/import, so a new setting is one line
// here and every reader and writer knows it:
//
//   {"access_token_ttl_s": 300, ..., "password_policy": {"min_length": 12, ...}}
//
// VisitRealmSettings / VisitPasswordPolicy call `visit(name, member)` once per field, in document
// order, on a const or a mutable struct; "password_policy" is the one nested object and is not
// visited by VisitRealmSettings (callers handle it with VisitPasswordPolicy). Semantic rules
// (ranges, allowed values) are realm::ValidateRealm's, not this file's.
//
// Thread-safety: pure functions.
#pragma once

#include <type_traits>

#include "idm/core/json.h"
#include "idm/core/model.h"

namespace idm::core {

template <class Settings, class Visit>
requires std::is_same_v<std::remove_const_t<Settings>, RealmSettings>
void VisitRealmSettings(Settings& s, Visit&& visit) {
  visit("access_token_ttl_s", s.access_token_ttl_s);
  visit("id_token_ttl_s", s.id_token_ttl_s);
  visit("refresh_token_ttl_s", s.refresh_token_ttl_s);
  visit("refresh_token_max_ttl_s", s.refresh_token_max_ttl_s);
  visit("sso_session_idle_s", s.sso_session_idle_s);
  visit("sso_session_max_s", s.sso_session_max_s);
  visit("authorization_code_ttl_s", s.authorization_code_ttl_s);
  visit("default_signing_alg", s.default_signing_alg);
  visit("offline_token_ttl_s", s.offline_token_ttl_s);
  visit("offline_token_max_ttl_s", s.offline_token_max_ttl_s);
  visit("login_flow_ttl_s", s.login_flow_ttl_s);
  visit("brute_force_max_failures", s.brute_force_max_failures);
  visit("brute_force_ip_max_failures", s.brute_force_ip_max_failures);
  visit("brute_force_window_s", s.brute_force_window_s);
  visit("brute_force_lockout_s", s.brute_force_lockout_s);
  visit("brute_force_max_delay_ms", s.brute_force_max_delay_ms);
  visit("key_rotation_interval_s", s.key_rotation_interval_s);
  visit("client_registration", s.client_registration);
  visit("mfa_policy", s.mfa_policy);
  visit("mfa_enrollment_grace_s", s.mfa_enrollment_grace_s);
  visit("mfa_methods", s.mfa_methods);
  visit("acr_levels", s.acr_levels);
  visit("webauthn_user_verification", s.webauthn_user_verification);
  visit("passwordless_webauthn", s.passwordless_webauthn);
  visit("email_code_enabled", s.email_code_enabled);
  visit("passwordless_email", s.passwordless_email);
  visit("email_code_ttl_s", s.email_code_ttl_s);
  visit("account_reauth_s", s.account_reauth_s);
}

template <class Policy, class Visit>
requires std::is_same_v<std::remove_const_t<Policy>, PasswordPolicy>
void VisitPasswordPolicy(Policy& p, Visit&& visit) {
  visit("min_length", p.min_length);
  visit("max_length", p.max_length);
  visit("require_digit", p.require_digit);
  visit("require_upper", p.require_upper);
  visit("require_lower", p.require_lower);
  visit("require_symbol", p.require_symbol);
  visit("not_username", p.not_username);
}

// Every field, password_policy nested.
Json RealmSettingsToJson(const RealmSettings& s);

// Overwrites the fields `j` names; absent or null keys keep what `s` holds (so settings added
// later read as their defaults from old documents). Unknown keys are ignored. Throws
// Json::exception when a value has the wrong type.
void ReadRealmSettings(const Json& j, RealmSettings& s);

}  // namespace idm::core
