// The OpenID Connect provider's runtime state as plain value types: SSO sessions, login flows,
// authorization codes, refresh tokens, consents, brute-force counters and used client-assertion
// ids. All of it lives in the store so that any node can serve the next request of a flow
// (ARCHITECTURE.md decision 3); docs/design/010-oidc-state-storage.md says what is stored how.
//
// Conventions (as in idm/core/model.h):
//  - timestamps are Unix milliseconds; 0 means "not set" (not consumed, not rotated, not revoked);
//  - `client_id` fields hold the internal Client::id (so deleting a client cascades), not the
//    OAuth client_id a request names;
//  - server-generated secrets (session cookie, code, refresh token) are never stored: only
//    crypto::HashSecret of them, in the *_hash fields (ARCHITECTURE.md decision 4).
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "idm/core/clock.h"

namespace idm::core {

// The authentication levels (OIDC Core §2 `acr` values) idm can achieve, weakest first; the order
// and what reaches each is decided in idm/authn/acr_levels.h (docs/design/020).
inline constexpr char kAcrPwd[] = "pwd";                   // a password (or one factor) only
inline constexpr char kAcrMfa[] = "mfa";                   // a password and a second factor
inline constexpr char kAcrPhishingResistant[] = "phishing-resistant";  // a passkey (WebAuthn)

// One browser's single sign-on session in a realm, shared by every client the browser uses.
// The cookie carries crypto::NewSecret(kSessionPrefix = "idm_ss_"); only its hash is kept.
struct SsoSession {
  std::string id;                       // random UUID; what tokens and codes refer to (sid claim)
  std::string realm_id;
  std::string user_id;
  std::string session_hash;             // HashSecret(cookie value); unique
  UnixMillis auth_time = 0;             // when the user last authenticated (OIDC Core §2 auth_time)
  UnixMillis last_seen_at = 0;
  UnixMillis idle_expires_at = 0;       // slides with activity (RealmSettings::sso_session_idle_s)
  UnixMillis absolute_expires_at = 0;   // fixed at creation (RealmSettings::sso_session_max_s)
  std::string acr;                      // OIDC Core §2 acr of the last authentication
  std::vector<std::string> amr;         // RFC 8176 method references, e.g. {"pwd", "otp"}
  std::vector<std::string> client_ids;  // clients that took part (for front/back-channel logout)
  UnixMillis created_at = 0;
  UnixMillis revoked_at = 0;            // 0 = active; set by logout or an administrator
};

// The persisted login state machine (CONVENTIONS.md §3–4). Values are fixed and never reused.
//
// ```mermaid
// stateDiagram-v2
//   [*] --> started
//   started --> first_factor_ok: password / upstream IdP ok
//   started --> authenticated: SSO session already satisfies the request
//   first_factor_ok --> mfa_pending: a second factor is required
//   first_factor_ok --> authenticated: no second factor needed
//   mfa_pending --> authenticated: second factor ok
//   authenticated --> consent_pending: consent needed
//   authenticated --> completed: code issued
//   consent_pending --> completed: consent given, code issued
//   started --> failed
//   first_factor_ok --> failed
//   mfa_pending --> failed
//   consent_pending --> failed: consent denied
//   completed --> [*]
//   failed --> [*]
// ```
enum class LoginFlowState : int16_t {
  kStarted = 1,
  kFirstFactorOk = 2,
  kMfaPending = 3,
  kAuthenticated = 4,
  kConsentPending = 5,
  kCompleted = 6,
  kFailed = 7,
};

struct LoginFlow {
  std::string id;                 // random, unguessable; appears in the login page URL
  std::string realm_id;
  std::string client_id;          // internal Client::id of the client that sent the user
  LoginFlowState state = LoginFlowState::kStarted;
  std::string request_json;       // the validated authorization request parameters (JSON object)
  std::string user_id;            // "" until the first factor names the user
  std::string csrf_secret;        // HashSecret of the browser-binding cookie (docs/design/013)
  std::vector<std::string> amr;   // factors passed so far (RFC 8176)
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  UnixMillis expires_at = 0;      // the flow is dead after this
  int64_t version = 0;            // optimistic concurrency: starts at 1, +1 per update
};

// An authorization code (RFC 6749 §4.1.2): short-lived, single use, bound to the client, the
// redirect URI and the PKCE challenge (RFC 7636 §4.4).
struct AuthorizationCode {
  std::string code_hash;          // HashSecret(code); the code is NewSecret(kAuthCodePrefix "idm_ac_")
  std::string realm_id;
  std::string client_id;          // internal Client::id
  std::string user_id;
  std::string session_id;         // SsoSession::id ("" if none)
  std::string token_family_id;    // family of the refresh tokens this code issues, so a replayed
                                  // code can revoke them (RFC 6749 §4.1.2, RFC 9700 §4.5)
  std::string redirect_uri;
  std::string scope;              // space-separated, as granted
  std::string nonce;              // OIDC Core §3.1.2.1; "" if none
  std::string code_challenge;     // RFC 7636 §4.2; "" if none
  std::string code_challenge_method;  // "S256" (or "plain" if ever allowed); "" if none
  UnixMillis auth_time = 0;
  std::string acr;
  std::vector<std::string> amr;
  std::string claims_json;        // OIDC Core §5.5 claims request; "" if none
  UnixMillis created_at = 0;
  UnixMillis expires_at = 0;
  UnixMillis consumed_at = 0;     // 0 until redeemed (single use)
};

// A refresh token (RFC 6749 §6) in a rotation family (RFC 9700 §4.14.2): each use replaces it
// with a new token of the same family; presenting a replaced token revokes the family.
struct RefreshToken {
  std::string id;                 // random UUID
  std::string token_hash;         // HashSecret(token); the token is NewSecret("idm_rt_")
  std::string family_id;          // shared by every rotation of one grant
  std::string realm_id;
  std::string client_id;          // internal Client::id
  std::string user_id;            // "" for none
  std::string session_id;         // SsoSession::id ("" for none); offline tokens outlive it
  std::string scope;              // space-separated
  bool offline = false;           // offline_access (OIDC Core §11): survives the SSO session
  UnixMillis created_at = 0;
  UnixMillis expires_at = 0;        // sliding: each rotation gets a fresh one
  UnixMillis family_expires_at = 0; // absolute: no rotation extends past it
  UnixMillis rotated_at = 0;        // 0 until used
  std::string replaced_by;          // id of the token that replaced this one ("" until rotated)
  UnixMillis revoked_at = 0;        // 0 = not revoked
  // The authentication the grant came from (OIDC Core §12.2), copied from the authorization
  // code to every rotation; auth_time 0 for tokens stored before migration 0008.
  UnixMillis auth_time = 0;
  std::string acr;
  std::vector<std::string> amr;
};

// What a user allowed a client to have (OIDC Core §3.1.2.4).
struct Consent {
  std::string realm_id;
  std::string user_id;
  std::string client_id;          // internal Client::id
  std::vector<std::string> scopes;  // granted scopes, sorted, no duplicates
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
};

// Consecutive failed logins for one key (brute-force protection).
struct LoginFailureCounter {
  std::string realm_id;
  std::string key;                // "user:<id>", "ip:<addr>", ...
  int64_t failures = 0;
  UnixMillis first_failure_at = 0;
  UnixMillis last_failure_at = 0;
  UnixMillis locked_until = 0;    // 0 or in the past = not locked
};

// A client assertion's jti, remembered until the assertion expires so it cannot be replayed
// (RFC 7523 §3 item 7, OIDC Core §9).
struct UsedJti {
  std::string realm_id;
  std::string client_id;          // internal Client::id
  std::string jti;
  UnixMillis expires_at = 0;
};

}  // namespace idm::core
