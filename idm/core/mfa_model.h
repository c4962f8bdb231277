// Second factors as plain value types: a user's credential (a TOTP authenticator now, WebAuthn
// later) and single-use recovery codes (docs/design/017-mfa-methods-and-flow.md).
//
// Conventions as in idm/core/model.h: Unix milliseconds, 0 = "not set". Secrets are never held
// here in plaintext: a credential carries its seed sealed under the KEK (crypto::Kek::Seal), a
// recovery code only crypto::HashSecret of the code.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "idm/core/clock.h"

namespace idm::core {

inline constexpr char kCredentialTotp[] = "totp";
// RFC 4226 counter-based codes; last_used_step holds the last accepted counter, period is unused.
inline constexpr char kCredentialHotp[] = "hotp";

struct Credential {
  std::string id;                     // random UUID
  std::string realm_id;
  std::string user_id;
  std::string type;                   // kCredentialTotp, kCredentialHotp, "webauthn"
  std::string name;                   // the user's label, e.g. "phone"
  std::string secret;                 // sealed seed (base64url of Kek::Seal); never plaintext
  std::string algorithm = "SHA1";     // RFC 6238 §1.2 HMAC function
  int64_t digits = 6;
  int64_t period = 30;                // seconds per time step (RFC 6238 §4.1 X)
  std::optional<int64_t> last_used_step;  // the newest accepted time step or HOTP counter (replay guard)
  UnixMillis confirmed_at = 0;        // 0 until the first valid code confirms the enrolment
  UnixMillis created_at = 0;
  UnixMillis last_used_at = 0;
};

struct RecoveryCode {
  std::string code_hash;              // crypto::HashSecret(code)
  std::string realm_id;
  std::string user_id;
  UnixMillis created_at = 0;
  UnixMillis used_at = 0;             // 0 until used (single use)
};

}  // namespace idm::core
