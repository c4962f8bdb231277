// Email one-time codes and a realm's SMTP settings as plain value types
// (docs/design/019-email-codes-and-smtp.md). Conventions as in idm/core/model.h: Unix
// milliseconds, 0 = "not set". Secrets are never held here in plaintext: a code only as its keyed
// hash, the SMTP password only sealed under the KEK.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>

#include "idm/core/clock.h"

namespace idm::core {

inline constexpr char kEmailCodeMfa[] = "mfa";        // second factor after the password
inline constexpr char kEmailCodeSignIn[] = "signin";  // passwordless sign-in

struct EmailCode {
  std::string id;          // random UUID, new for every code
  std::string realm_id;
  std::string user_id;
  std::string purpose;     // kEmailCodeMfa | kEmailCodeSignIn
  std::string code_hash;   // "hmac-sha256:" + hex, keyed; never the code
  UnixMillis expires_at = 0;
  int64_t attempts = 0;    // wrong tries so far
  UnixMillis used_at = 0;  // 0 until used (single use)
  UnixMillis created_at = 0;
};

struct SmtpConfig {
  std::string realm_id;
  std::string host;
  int64_t port = 587;
  std::string security = "starttls";  // none | starttls | tls
  std::string username;               // "" = no AUTH
  std::string password_sealed;        // Kek::Seal of the password (base64url), "" = none
  std::string from_address;
  std::string from_name;
  UnixMillis updated_at = 0;
};

}  // namespace idm::core
