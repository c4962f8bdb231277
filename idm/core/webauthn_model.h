// WebAuthn passkeys as plain value types (docs/design/018-webauthn.md): a registered credential
// (W3C WebAuthn Level 2 §7.1 step 24) and the challenge of one ceremony (§13.4.3).
//
// Conventions as in idm/core/model.h: Unix milliseconds; binary values as base64url (RFC 4648 §5,
// no padding). A passkey is also a core::Credential of type kCredentialWebAuthn with the same id
// (its name and times), so the credential listing and the administrator reset cover it.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>

#include "idm/core/clock.h"

namespace idm::core {

inline constexpr char kCredentialWebAuthn[] = "webauthn";

struct WebAuthnCredential {
  std::string id;             // the core::Credential id (random UUID)
  std::string realm_id;
  std::string user_id;
  std::string name;           // the user's label, e.g. "laptop"
  std::string credential_id;  // base64url of the authenticator's credential ID (unique per realm)
  std::string user_handle;    // base64url of the random per-user handle (§5.4.3 user.id)
  std::string public_key;     // base64url of the COSE_Key
  int64_t alg = 0;            // COSE algorithm: -7 ES256, -8 EdDSA, -257 RS256
  int64_t sign_count = 0;     // the newest signature counter seen (§6.1.1)
  std::string aaguid;         // base64url of the 16-byte AAGUID
  std::string transports;     // space-separated AuthenticatorTransport hints ("internal usb")
  bool discoverable = false;  // registered as a client-side discoverable credential (passkey)
  bool user_verified = false; // UV was set at registration
  std::string attestation_fmt;  // "none" or "packed"
  UnixMillis created_at = 0;
  UnixMillis last_used_at = 0;
};

inline constexpr char kWebAuthnRegister[] = "register";
inline constexpr char kWebAuthnAuthenticate[] = "authenticate";

struct WebAuthnChallenge {
  std::string realm_id;
  std::string flow_id;        // the login flow the page belongs to
  std::string purpose;        // kWebAuthnRegister or kWebAuthnAuthenticate
  std::string challenge;      // base64url of the random bytes
  std::string user_id;        // "" for a username-less login
  UnixMillis created_at = 0;
  UnixMillis expires_at = 0;
};

}  // namespace idm::core
