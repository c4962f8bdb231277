// The second-factor repositories: credentials (TOTP now, WebAuthn later) and recovery codes
// (value types in idm/core/mfa_model.h). Part of store::Transaction (store.h):
// `tx->credentials()`, `tx->recovery_codes()`. Both are deleted with their user and realm.
//
// Error contract as in store.h: every method may also fail with kUnavailable or kCorrupt.
// The two single-use operations (AcceptTotpStep, UseRecoveryCode) are one conditional UPDATE each:
// PostgreSQL makes a concurrent second UPDATE of the same row wait for the first and re-check its
// WHERE clause, SQLite's single writer serialises them, so of any number of concurrent calls on
// any nodes exactly one succeeds (docs/design/017-mfa-methods-and-flow.md).
//
// Thread-safety: a repository belongs to its transaction's thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "idm/core/mfa_model.h"
#include "idm/store/error.h"

namespace idm::store {

class CredentialRepo {
 public:
  virtual ~CredentialRepo() = default;
  // kConflict if the id exists or the realm or user is absent.
  virtual Status Create(const core::Credential& credential) = 0;
  // kNotFound if the user has no credential with the id.
  virtual Result<core::Credential> Get(const std::string& realm_id, const std::string& user_id,
                                       const std::string& id) = 0;
  // The user's credentials (confirmed or not), oldest first.
  virtual Result<std::vector<core::Credential>> ListByUser(const std::string& realm_id,
                                                           const std::string& user_id) = 0;
  // kNotFound if absent.
  virtual Status Rename(const std::string& realm_id, const std::string& user_id,
                        const std::string& id, const std::string& name) = 0;
  // kNotFound if absent.
  virtual Status Delete(const std::string& realm_id, const std::string& user_id,
                        const std::string& id) = 0;
  // Deletes every credential of the user; returns how many.
  virtual Result<int64_t> DeleteByUser(const std::string& realm_id,
                                       const std::string& user_id) = 0;
  // Sets confirmed_at = now if not yet confirmed. kNotFound if absent or already confirmed.
  virtual Status Confirm(const std::string& realm_id, const std::string& user_id,
                         const std::string& id, core::UnixMillis now) = 0;
  // The TOTP replay guard (RFC 6238 §5.2): records `step` as used, with last_used_at = now, only
  // if no step >= `step` was accepted before. True when this call accepted it; false when the
  // step (or a later one) was already used: a replay. kNotFound if the credential is absent.
  // HOTP credentials use it for their counter (RFC 4226 §7.2, docs/design/024): `step` is the
  // accepted counter value, so neither that code nor any earlier one is accepted again.
  virtual Result<bool> AcceptTotpStep(const std::string& realm_id, const std::string& user_id,
                                      const std::string& id, int64_t step,
                                      core::UnixMillis now) = 0;
};

class RecoveryCodeRepo {
 public:
  virtual ~RecoveryCodeRepo() = default;
  // Deletes the user's codes and inserts `codes` in their place (regeneration). kConflict if a
  // hash exists elsewhere or the realm or user is absent.
  virtual Status Replace(const std::string& realm_id, const std::string& user_id,
                         const std::vector<core::RecoveryCode>& codes) = 0;
  // The user's codes, used ones included (used_at != 0).
  virtual Result<std::vector<core::RecoveryCode>> ListByUser(const std::string& realm_id,
                                                             const std::string& user_id) = 0;
  // Marks the user's unused code with the hash used at now. True when this call used it; false
  // when the user has no such code or it was used before (the caller answers both alike).
  virtual Result<bool> Use(const std::string& realm_id, const std::string& user_id,
                           const std::string& code_hash, core::UnixMillis now) = 0;
  // Deletes every code of the user; returns how many.
  virtual Result<int64_t> DeleteByUser(const std::string& realm_id,
                                       const std::string& user_id) = 0;
};

}  // namespace idm::store
