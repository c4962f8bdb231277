// The OpenID Connect provider's repositories: SSO sessions, login flows, authorization codes,
// refresh tokens, consents, brute-force counters and used client-assertion ids (value types in
// idm/core/oidc_model.h). Reached from store::Transaction like the others (store.h); the same
// error contract applies (see the top of store.h). docs/design/010-oidc-state-storage.md says
// how single use and rotation stay atomic on both backends.
//
// Thread-safety: a repository belongs to its transaction's thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "idm/core/oidc_model.h"
#include "idm/store/error.h"

namespace idm::store {

// SSO sessions (core::SsoSession). Lookups by hash are global: the hash of a 256-bit secret is
// unique, and the caller checks realm_id. Sessions are deleted with their user and realm.
class SessionRepo {
 public:
  virtual ~SessionRepo() = default;
  // Inserts the session with its client_ids. kConflict if id or session_hash exists, or the
  // realm, user or a client is absent.
  virtual Status Create(const core::SsoSession& session) = 0;
  // kNotFound if absent. Revoked and expired sessions are returned as stored; the caller decides.
  virtual Result<core::SsoSession> Get(const std::string& realm_id, const std::string& id) = 0;
  virtual Result<core::SsoSession> GetByHash(const std::string& session_hash) = 0;
  // Records activity: sets last_seen_at and idle_expires_at (never past absolute_expires_at).
  // kNotFound if absent or revoked.
  virtual Status Touch(const std::string& id, core::UnixMillis now,
                       core::UnixMillis idle_expires_at) = 0;
  // Re-authentication or step-up: sets auth_time, acr and amr. kNotFound if absent or revoked.
  virtual Status Reauthenticate(const std::string& id, core::UnixMillis auth_time,
                                const std::string& acr, const std::vector<std::string>& amr) = 0;
  // Notes that client_id (internal id) took part. Idempotent. kNotFound if the session is absent,
  // kConflict if the client is absent.
  virtual Status AddClient(const std::string& id, const std::string& client_id) = 0;
  // Sets revoked_at = now unless already revoked. kNotFound if absent; revoking twice is ok.
  virtual Status Revoke(const std::string& id, core::UnixMillis now) = 0;
  // Revokes every active session of the user; returns how many it revoked.
  virtual Result<int64_t> RevokeByUser(const std::string& realm_id, const std::string& user_id,
                                       core::UnixMillis now) = 0;
  // The user's sessions that are neither revoked nor expired at now, newest first.
  virtual Result<std::vector<core::SsoSession>> ListActiveByUser(const std::string& realm_id,
                                                                 const std::string& user_id,
                                                                 core::UnixMillis now) = 0;
  // Deletes sessions expired (idle or absolute) or revoked before `now`; returns how many.
  virtual Result<int64_t> DeleteExpired(core::UnixMillis now) = 0;
};

// Login flows (core::LoginFlow), versioned like the admin objects.
class LoginFlowRepo {
 public:
  virtual ~LoginFlowRepo() = default;
  // Stores the flow with version 1 and returns it. kConflict if the id exists or the realm,
  // client or (non-empty) user is absent.
  virtual Result<core::LoginFlow> Create(const core::LoginFlow& flow) = 0;
  // kNotFound if absent or expired at now (expires_at <= now).
  virtual Result<core::LoginFlow> Get(const std::string& realm_id, const std::string& id,
                                      core::UnixMillis now) = 0;
  // Replaces state, request_json, user_id, csrf_secret, amr, updated_at and expires_at if the
  // stored version equals flow.version; returns the flow with version+1. kNotFound,
  // kVersionMismatch (another node moved the flow on first), kConflict (user absent).
  virtual Result<core::LoginFlow> Update(const core::LoginFlow& flow) = 0;
  // kNotFound if absent.
  virtual Status Delete(const std::string& realm_id, const std::string& id) = 0;
  // Deletes flows with expires_at <= now; returns how many.
  virtual Result<int64_t> DeleteExpired(core::UnixMillis now) = 0;
};

// Why Consume did not hand out a code: only kConsumed means the caller may issue tokens.
enum class CodeOutcome {
  kConsumed,         // this call redeemed the code
  kExpired,          // expires_at <= now; unused
  kAlreadyConsumed,  // redeemed before (by this or another node): a replay (RFC 6749 §4.1.2)
};

struct CodeConsumption {
  CodeOutcome outcome = CodeOutcome::kConsumed;
  core::AuthorizationCode code;  // as stored after the call (consumed_at set when redeemed)
};

// Authorization codes (core::AuthorizationCode), single use.
class AuthorizationCodeRepo {
 public:
  virtual ~AuthorizationCodeRepo() = default;
  // kConflict if the hash exists or the realm, client or user is absent.
  virtual Status Insert(const core::AuthorizationCode& code) = 0;
  // Atomically redeems the code: of any number of concurrent calls, on any nodes, exactly one
  // sees kConsumed (a conditional UPDATE; the row lock / single writer serialises them). The
  // others see kAlreadyConsumed with the code, so the caller can revoke what it issued
  // (RevokeFamily(code.token_family_id), the session). kNotFound if no code has the hash.
  virtual Result<CodeConsumption> Consume(const std::string& code_hash, core::UnixMillis now) = 0;
  // Deletes codes with expires_at <= now; returns how many.
  virtual Result<int64_t> DeleteExpired(core::UnixMillis now) = 0;
};

// Why Rotate did not rotate: only kRotated means the new token was stored.
enum class RotateOutcome {
  kRotated,         // the old token is marked rotated and the new one inserted
  kAlreadyRotated,  // the old token was used before: reuse (RFC 9700 §4.14.2); revoke the family
  kRevoked,         // the old token (or its family) was revoked
  kExpired,         // expires_at or family_expires_at <= now
};

struct Rotation {
  RotateOutcome outcome = RotateOutcome::kRotated;
  core::RefreshToken old_token;  // the presented token as stored after the call
};

// Refresh tokens (core::RefreshToken) and their rotation families.
class RefreshTokenRepo {
 public:
  virtual ~RefreshTokenRepo() = default;
  // kConflict if id or hash exists or the realm, client or (non-empty) user is absent.
  virtual Status Insert(const core::RefreshToken& token) = 0;
  // kNotFound if absent. Rotated, revoked and expired tokens are returned as stored.
  virtual Result<core::RefreshToken> GetByHash(const std::string& token_hash) = 0;
  // Atomically marks the token with old_hash rotated (replaced_by = new_token.id) and inserts
  // new_token; of concurrent calls exactly one sees kRotated, the others kAlreadyRotated. The
  // new token must carry the old one's family_id, else kInvalid (nothing written); it is stored
  // with the old one's family_expires_at and an expires_at capped by it, so rotation never
  // extends a family. kNotFound if no token has old_hash; kConflict if new_token's id or hash
  // exists.
  virtual Result<Rotation> Rotate(const std::string& old_hash, const core::RefreshToken& new_token,
                                  core::UnixMillis now) = 0;
  // Revokes every not yet revoked token of the family; returns how many.
  virtual Result<int64_t> RevokeFamily(const std::string& family_id, core::UnixMillis now) = 0;
  // Revokes the session's tokens that are not offline (logout, OIDC Core §11); returns how many.
  virtual Result<int64_t> RevokeBySession(const std::string& session_id, core::UnixMillis now) = 0;
  // Revokes every token of the user for the client (consent withdrawn, RFC 7009 §2.1); returns
  // how many.
  virtual Result<int64_t> RevokeByUserClient(const std::string& realm_id,
                                             const std::string& user_id,
                                             const std::string& client_id,
                                             core::UnixMillis now) = 0;
  // Deletes tokens whose expires_at or family_expires_at <= now; returns how many.
  virtual Result<int64_t> DeleteExpired(core::UnixMillis now) = 0;
};

// Consents (core::Consent), one per (user, client).
class ConsentRepo {
 public:
  virtual ~ConsentRepo() = default;
  // Inserts, or replaces the scopes and updated_at of the existing consent (created_at is kept).
  // Returns the consent as stored. kConflict if the realm, user or client is absent.
  virtual Result<core::Consent> Upsert(const core::Consent& consent) = 0;
  // kNotFound if the user gave the client no consent.
  virtual Result<core::Consent> Get(const std::string& realm_id, const std::string& user_id,
                                    const std::string& client_id) = 0;
  // kNotFound if absent.
  virtual Status Delete(const std::string& realm_id, const std::string& user_id,
                        const std::string& client_id) = 0;
  // The user's consents ordered by client_id.
  virtual Result<std::vector<core::Consent>> ListByUser(const std::string& realm_id,
                                                        const std::string& user_id) = 0;
};

// How failures turn into a lock (the realm's brute-force settings, decided by the caller).
struct LockoutPolicy {
  int64_t max_failures = 0;   // lock when failures reach this; <= 0 never locks
  int64_t window_ms = 0;      // a failure after last_failure_at + window starts a new count; 0 = never
  int64_t lockout_ms = 0;     // how long a lock lasts
};

// Brute-force counters (core::LoginFailureCounter). Keys are the caller's; the counter of a
// deleted user is left to age out (keys are not references), the realm's go with the realm.
class LoginFailureRepo {
 public:
  virtual ~LoginFailureRepo() = default;
  // Atomically counts one failure at now under policy and returns the new counter (one upsert, so
  // concurrent failures on several nodes all count). Sets locked_until = now + lockout_ms when
  // failures reaches max_failures. kConflict if the realm is absent.
  virtual Result<core::LoginFailureCounter> RecordFailure(const std::string& realm_id,
                                                          const std::string& key,
                                                          core::UnixMillis now,
                                                          const LockoutPolicy& policy) = 0;
  // Forgets the counter (after a successful login). Ok if there is none.
  virtual Status Reset(const std::string& realm_id, const std::string& key) = 0;
  // kNotFound if the key has no failures recorded.
  virtual Result<core::LoginFailureCounter> Get(const std::string& realm_id,
                                                const std::string& key) = 0;
  // Lifts a lock (administrator): failures = 0, locked_until = 0; history times kept. kNotFound.
  virtual Status Unlock(const std::string& realm_id, const std::string& key) = 0;
};

// Used client-assertion ids (core::UsedJti).
class JtiRepo {
 public:
  virtual ~JtiRepo() = default;
  // Remembers the jti; false if it is already remembered and not expired at now (a replay).
  // Atomic across nodes (unique key + ON CONFLICT). kConflict if realm or client is absent.
  virtual Result<bool> InsertIfAbsent(const core::UsedJti& jti, core::UnixMillis now) = 0;
  // Deletes entries with expires_at <= now; returns how many.
  virtual Result<int64_t> DeleteExpired(core::UnixMillis now) = 0;
};

}  // namespace idm::store
