// WebAuthn verification (W3C Web Authentication Level 2): the parts of the registration (§7.1)
// and authentication (§7.2) ceremonies that are pure checks of bytes — clientDataJSON, the
// authenticator data (§6.1), the attestation object (§6.5, formats "none" and "packed" self
// attestation, §8.2, §8.7) and COSE public keys (RFC 8152 §13, RFC 9053 §2: ES256 -7 on P-256,
// EdDSA -8 on Ed25519, RS256 -257 per RFC 8812 §2). No HTTP, no storage: the caller supplies the
// challenge it issued, the expected origin and RP ID, and the stored credential; it looks up
// credentials and user handles itself (§7.2 steps 5-6).
//
// A failed check is an expected outcome, returned as a Failure naming which ceremony step failed
// (the login flow records it in audit events; tests assert it). crypto::Error is not used here
// because its codes cannot name the WebAuthn steps.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "idm/core/result.h"

namespace idm::crypto::webauthn {

// COSE algorithm identifiers (IANA "COSE Algorithms"); the pubKeyCredParams idm offers.
inline constexpr int64_t kCoseEs256 = -7;
inline constexpr int64_t kCoseEdDsa = -8;
inline constexpr int64_t kCoseRs256 = -257;

// Authenticator data flags (§6.1).
inline constexpr uint8_t kFlagUserPresent = 0x01;   // UP
inline constexpr uint8_t kFlagUserVerified = 0x04;  // UV
inline constexpr uint8_t kFlagAttested = 0x40;      // AT: attested credential data included
inline constexpr uint8_t kFlagExtensions = 0x80;    // ED: extension data included

enum class Check {
  kMalformed,               // undecodable JSON, CBOR, base64url or authenticator data layout
  kWrongType,               // clientData.type (§7.1 step 7, §7.2 step 11)
  kWrongChallenge,          // clientData.challenge (§7.1 step 8, §7.2 step 12)
  kWrongOrigin,             // clientData.origin, or crossOrigin true (§7.1 step 9, §7.2 step 13)
  kWrongRpId,               // rpIdHash (§7.1 step 13, §7.2 step 15)
  kUserNotPresent,          // UP flag clear (§7.1 step 14, §7.2 step 16)
  kUserNotVerified,         // UV flag clear while required (§7.1 step 15, §7.2 step 17)
  kUnsupportedAlgorithm,    // not ES256/EdDSA/RS256, or an unusable key (§7.1 step 16)
  kUnsupportedAttestation,  // fmt other than none / packed self attestation (§7.1 steps 18, 21)
  kBadAttestation,          // attStmt invalid: packed alg mismatch or bad signature (§8.2)
  kBadSignature,            // the assertion signature does not verify (§7.2 step 20)
  kSignCountRegression,     // possible cloned authenticator (§7.2 step 21, §6.1.1)
};

// A stable snake_case name ("wrong_challenge") for logs and audit events.
const char* CheckName(Check check);

struct Failure {
  Check check = Check::kMalformed;
  std::string message;  // for logs; never key material
};

template <class T>
using Result = core::Result<T, Failure>;
using Status = core::Result<void, Failure>;

// §6.5.1 attested credential data.
struct AttestedCredential {
  std::string aaguid;         // 16 bytes
  std::string credential_id;  // raw bytes (1..1023)
  std::string public_key;     // the COSE_Key, CBOR bytes exactly as sent
};

// §6.1 authenticator data.
struct AuthenticatorData {
  std::string rp_id_hash;  // 32 bytes
  uint8_t flags = 0;
  uint32_t sign_count = 0;
  std::optional<AttestedCredential> attested;  // when AT is set
};

// Parses the §6.1 layout; extensions (ED) must be one CBOR map; nothing may follow. kMalformed.
Result<AuthenticatorData> ParseAuthenticatorData(std::string_view bytes);

// The COSE algorithm of a COSE_Key after checking that the key is usable for it: kty EC2 with crv
// P-256 for -7, OKP with crv Ed25519 for -8, RSA (2048..8192 bits) for -257. kMalformed when the
// bytes are not a CBOR map, kUnsupportedAlgorithm for any other alg, kty or curve, or a bad key.
Result<int64_t> CoseKeyAlgorithm(std::string_view cose_key);

// Verifies `signature` over `data` with the COSE_Key: ES256 as an ASN.1 DER ECDSA signature
// (§6.5.6 "Signature Formats"), RS256 PKCS#1 v1.5 with SHA-256, Ed25519 as is. kBadSignature when
// it does not verify; CoseKeyAlgorithm's failures for the key.
Status VerifySignature(std::string_view cose_key, std::string_view data,
                       std::string_view signature);

// What the relying party expects of a ceremony response.
struct Expected {
  std::string challenge;  // the raw challenge bytes it issued
  std::string origin;     // e.g. "https://id.example.com" (the realm's public origin)
  std::string rp_id;      // e.g. "id.example.com" (the public host)
  bool require_user_verification = false;  // UV required by policy
};

// The outcome of a successful registration (§7.1 steps 23-24 store these).
struct Registration {
  std::string credential_id;  // raw bytes
  std::string public_key;     // COSE_Key bytes
  int64_t alg = 0;            // COSE algorithm
  uint32_t sign_count = 0;
  std::string aaguid;         // 16 bytes
  std::string fmt;            // "none" or "packed"
  bool user_verified = false;
};

// §7.1 steps 5-21 for a response to navigator.credentials.create(): clientDataJSON and the CBOR
// attestationObject, both raw bytes. Accepts attestation "none" (attStmt empty) and "packed" self
// attestation (§8.2: alg equal to the credential key's alg, sig over authData || SHA-256(
// clientDataJSON) verified with the credential key); refuses "packed" with x5c and every other
// format with kUnsupportedAttestation.
Result<Registration> VerifyRegistration(const Expected& expected,
                                        std::string_view client_data_json,
                                        std::string_view attestation_object);

// The outcome of a successful assertion.
struct Assertion {
  uint32_t sign_count = 0;
  bool user_verified = false;
};

// §7.2 steps 10-21 for a response to navigator.credentials.get() with the stored credential's
// COSE key and sign count. Signature over authenticatorData || SHA-256(clientDataJSON). Sign count
// (step 21): if either the new or the stored count is non-zero and the new one is not greater,
// kSignCountRegression (a possible clone, §6.1.1); the caller refuses the login and audits it.
Result<Assertion> VerifyAssertion(const Expected& expected, std::string_view public_key,
                                  uint32_t stored_sign_count, std::string_view client_data_json,
                                  std::string_view authenticator_data,
                                  std::string_view signature);

}  // namespace idm::crypto::webauthn
