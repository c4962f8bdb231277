// The domain model: plain value types for the objects idm keeps. They cross every layer (the store
// returns them, services change them, endpoints render them) and the plugin boundary, so they hold
// no behaviour and no pointers. Every object belongs to a realm (ARCHITECTURE.md decision 1).
//
// Conventions:
//  - `id` is a random UUID (core::NewUuid), assigned by the service before it creates the object;
//    audit events alone get a time-ordered one (core::NewTimeOrderedUuid).
//  - timestamps are Unix milliseconds (core::UnixMillis).
//  - `version` counts updates, starts at 1, and is the ETag of the admin API: an update names the
//    version it read and the store refuses it (store::ErrorCode::kVersionMismatch) if another
//    writer got there first.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "idm/core/clock.h"

namespace idm::core {

// Free-form, multi-valued attributes (users, groups, clients). Sorted, so serialisation is stable.
using Attributes = std::map<std::string, std::vector<std::string>>;

// Password rules of a realm. Enforced by the account service on every password change.
struct PasswordPolicy {
  int min_length = 12;          // NIST SP 800-63B §5.1.1.2 allows 8; 12 is today's common floor
  int max_length = 256;         // bounds Argon2 work per request
  bool require_digit = false;   // SP 800-63B advises against composition rules
  bool require_upper = false;
  bool require_lower = false;
  bool require_symbol = false;
  bool not_username = true;     // the password may not equal the username (case-insensitive)
};

// Per-realm settings. Defaults follow RFC 9700 (short-lived access tokens) and common IdP practice.
struct RealmSettings {
  int64_t access_token_ttl_s = 300;        // RFC 9700 §2.2: short-lived access tokens
  int64_t id_token_ttl_s = 300;
  int64_t refresh_token_ttl_s = 1800;      // sliding lifetime of a refresh token
  int64_t refresh_token_max_ttl_s = 86400 * 30;
  int64_t sso_session_idle_s = 1800;
  int64_t sso_session_max_s = 36000;
  int64_t authorization_code_ttl_s = 60;   // RFC 6749 §4.1.2 recommends at most 10 minutes
  std::string default_signing_alg = "ES256";
  // offline_access refresh tokens (OIDC Core §11): sliding and absolute lifetimes.
  int64_t offline_token_ttl_s = 86400 * 30;
  int64_t offline_token_max_ttl_s = 86400 * 365;
  int64_t login_flow_ttl_s = 1800;         // how long a started login (its pages) stays usable
  // Brute-force protection of the login form, per user and per client address: a growing delay
  // (250 ms x 2^(failures-1), capped) and a temporary lockout an administrator can lift.
  int64_t brute_force_max_failures = 5;
  int64_t brute_force_ip_max_failures = 30;
  int64_t brute_force_window_s = 900;      // a failure after this quiet time starts a new count
  int64_t brute_force_lockout_s = 900;
  int64_t brute_force_max_delay_ms = 4000;
  int64_t key_rotation_interval_s = 86400 * 90;  // scheduled signing-key rotation; 0 = by hand
  // Dynamic client registration (RFC 7591): "disabled", "initial_access_token" or "open".
  std::string client_registration = "initial_access_token";
  // Second factors (docs/design/017-mfa-methods-and-flow.md): "off" (never asked), "optional"
  // (asked of users who have one) or "required" (users without one enrol at login).
  std::string mfa_policy = "optional";
  // With "required": how long after its creation an account may still skip the enrolment.
  int64_t mfa_enrollment_grace_s = 0;
  // Second-factor methods users may use ("totp", "recovery_code", ...); empty = every method.
  // A factor of a method left out is neither offered nor accepted (docs/design/020).
  std::vector<std::string> mfa_methods;
  // The authentication levels (OIDC Core §2 acr) this realm offers, weakest first: a subset of
  // "pwd" < "mfa" < "phishing-resistant" (docs/design/020). Requests may name only these, and
  // discovery advertises them as acr_values_supported.
  std::vector<std::string> acr_levels = {"pwd", "mfa", "phishing-resistant"};
  // WebAuthn user verification (W3C WebAuthn L2 §5.8.6) asked of passkeys used as a second factor
  // or enrolled: "required" refuses an authenticator that did not verify its user, "preferred"
  // (default) accepts it. Passkey sign-in without a password always requires it
  // (docs/design/018-webauthn.md).
  std::string webauthn_user_verification = "preferred";
  // Offers "Sign in with a passkey" (a discoverable credential, no username) on the login page.
  bool passwordless_webauthn = false;
  // Email one-time codes (docs/design/019-email-codes-and-smtp.md): as a second factor for users
  // with a verified email address, for passwordless sign-in, and how long a code stays valid.
  bool email_code_enabled = false;
  bool passwordless_email = false;
  int64_t email_code_ttl_s = 600;
  // The self-service security page (docs/design/023) needs a sign-in at most this old; an older
  // session is sent through the login again (password and, if the user has one, a second factor).
  int64_t account_reauth_s = 300;
  PasswordPolicy password_policy;
};

struct Realm {
  std::string id;
  std::string name;            // URL segment: [a-z0-9][a-z0-9_-]{0,63}; unique; "master" holds operators
  std::string display_name;
  bool enabled = true;
  RealmSettings settings;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 0;
};

struct User {
  std::string id;
  std::string realm_id;
  std::string username;        // unique per realm, compared case-insensitively (stored as given)
  std::string email;           // optional ("" = none); unique per realm, case-insensitive
  bool email_verified = false;
  std::string first_name;
  std::string last_name;
  bool enabled = true;
  Attributes attributes;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 0;
};

struct Group {
  std::string id;
  std::string realm_id;
  std::optional<std::string> parent_id;  // nullopt for a top-level group
  std::string name;                      // unique among siblings
  Attributes attributes;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 0;
};

// A realm role (client_id empty) or a client role (client_id = the owning Client::id).
struct Role {
  std::string id;
  std::string realm_id;
  std::optional<std::string> client_id;  // internal id of the owning client, for client roles
  std::string name;                      // unique per (realm, client_id)
  std::string description;
  // Every user who holds this role (directly, through a group or a composite) must pass a second
  // factor at each login (docs/design/020).
  bool require_mfa = false;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 0;
};

// Where a role is granted: directly to a user or to a group (and so to its members and the
// members of its descendant groups).
enum class RoleHolderKind : int16_t { kUser = 1, kGroup = 2 };

enum class ClientType : int16_t { kConfidential = 1, kPublic = 2 };

// A claim mapper (idm/oauth/claims.h applies them): copies a user attribute, the user's realm
// roles, client roles or group paths, or a fixed value into a (possibly nested) claim of the
// chosen tokens. Defined here because clients store them; the oauth layer names it
// oauth::ClaimMapper. Stored values: never reuse a kind's number.
enum class ClaimMapperKind : int16_t {
  kUserAttribute = 1,
  kRealmRoles = 2,
  kClientRoles = 3,
  kGroups = 4,
  kFixedValue = 5,
};

struct ClaimMapper {
  ClaimMapperKind kind = ClaimMapperKind::kUserAttribute;
  // Where the value goes. Dots nest ("realm_access.roles" -> {"realm_access": {"roles": ..}});
  // "\." is a literal dot in a name.
  std::string claim_name;
  // kUserAttribute: the attribute name (or one of the user fields "username", "email",
  // "first_name", "last_name", "id"). kFixedValue: the value. Unused otherwise.
  std::string source;
  std::string client_id;  // kClientRoles: the OAuth client_id whose roles are mapped
  bool in_id_token = true;
  bool in_access_token = true;
  bool in_userinfo = true;
  // True: the claim is an array of every value. False: the first value only (attributes) — roles
  // and groups are always arrays.
  bool multivalued = false;
};

// A scope a client defines for itself (beyond the OIDC standard scopes): when a token grants it,
// its mappers add claims (docs/design/015-userinfo-claim-mappers-registration-rotation.md).
struct ClientScope {
  std::string name;         // an RFC 6749 §3.3 scope token, also listed in Client::scopes
  std::string description;  // shown on the consent page
  std::vector<ClaimMapper> mappers;
};

struct Client {
  std::string id;                        // internal id
  std::string realm_id;
  std::string client_id;                 // the OAuth client_id (RFC 6749 §2.2); unique per realm
  std::string name;
  std::string description;
  bool enabled = true;
  ClientType type = ClientType::kConfidential;
  // Secret of a confidential client, stored only as a keyed hash (ARCHITECTURE.md decision 4);
  // empty for public clients and for private_key_jwt clients.
  std::string secret_hash;
  std::vector<std::string> redirect_uris;              // exact match (RFC 9700 §2.1)
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> grant_types;                // e.g. "authorization_code", "client_credentials"
  std::string token_endpoint_auth_method = "client_secret_basic";  // RFC 7591 §2
  std::vector<std::string> scopes;                     // scopes this client may request
  Attributes attributes;

  // OpenID Connect settings (OIDC Dynamic Client Registration 1.0 §2 names most of them).
  // Defaults are the secure choice; an operator relaxes them per client.
  bool require_pkce = true;              // RFC 9700 §2.1.1: PKCE for every authorization_code client
  bool consent_required = true;          // false = first-party client, consent is not asked
  std::string id_token_signed_response_alg;  // ES256|RS256|PS256|EdDSA; "" = realm default
  std::string subject_type = "public";   // "public" | "pairwise" (OIDC Core §8)
  std::string sector_identifier;         // pairwise sector; "" = host of the redirect URI
  std::string jwks;                      // JWK Set JSON text for private_key_jwt (RFC 7523); "" = none
  std::string jwks_uri;                  // or where to fetch it; "" = none
  std::string frontchannel_logout_uri;   // OIDC Front-Channel Logout 1.0 §2; "" = none
  std::string backchannel_logout_uri;    // OIDC Back-Channel Logout 1.0 §2.2; "" = none
  bool backchannel_logout_session_required = false;
  std::vector<std::string> default_scopes;  // granted when the request names no scope
  int64_t access_token_ttl_s = 0;        // 0 = the realm's access_token_ttl_s
  int64_t refresh_token_ttl_s = 0;       // 0 = the realm's refresh_token_ttl_s
  std::vector<ClientScope> client_scopes;  // the client's own scopes and their claim mappers
  // Authentication policy (docs/design/020): every login for this client needs at least level
  // "mfa" (a second factor) or "phishing-resistant" (a passkey).
  bool require_mfa = false;
  bool require_phishing_resistant = false;

  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 0;
};

// A realm's signing key. Life cycle (ARCHITECTURE.md decision 5):
//   kNext (published in JWKS, not yet signing) -> kActive (signing) -> kRetired (published until
//   every token it signed has expired) -> deleted.
enum class KeyStatus : int16_t { kNext = 1, kActive = 2, kRetired = 3 };

struct SigningKey {
  std::string kid;                 // key id; unique
  std::string realm_id;
  std::string alg;                 // JWS alg: ES256, RS256, PS256, EdDSA
  KeyStatus status = KeyStatus::kNext;
  std::string private_key_sealed;  // private key (PKCS#8 DER) sealed with AES-256-GCM under the KEK
  std::string public_jwk;          // the public JWK, JSON text
  UnixMillis created_at = 0;
  UnixMillis activated_at = 0;     // 0 while kNext
  UnixMillis retired_at = 0;       // 0 until retired
  UnixMillis expires_at = 0;       // when a retired key may be deleted; 0 = not yet known
};

// One audit event. Written in the same transaction as the change it records, hash-chained per realm
// (ARCHITECTURE.md decision 6): hash = SHA-256(prev_hash || canonical form of the event). The
// audit table is also the outbox that provisioning connectors and webhooks read, by `seq`.
struct AuditEvent {
  int64_t seq = 0;                 // per-realm sequence, assigned by the store on append
  std::string id;                  // UUID version 7 (time-ordered); idempotency key for receivers
  std::string realm_id;
  UnixMillis time = 0;
  std::string type;                // stable name, e.g. "UserCreated", "RoleGranted" (docs/security/events.md)
  std::string actor;               // "user:<id>", "client:<client_id>", "system", "cli"
  std::string resource_type;       // "user", "group", "role", "client", "realm", "key"
  std::string resource_id;
  std::string details;             // JSON object text; never contains secrets
  std::string client_ip;
  std::string request_id;
  std::string prev_hash;           // hex; assigned by the store
  std::string hash;                // hex; assigned by the store
};

// A page of results and the opaque cursor of the next page ("" when this is the last page).
template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;
};

}  // namespace idm::core
