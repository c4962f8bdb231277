// The WebAuthn repository (migration 0005; value types in idm/core/webauthn_model.h): passkeys and
// ceremony challenges. Part of store::Transaction (store.h): `tx->webauthn()`.
//
// Error contract as in store.h: every method may also fail with kUnavailable or kCorrupt.
// UpdateSignCount and TakeChallenge are one conditional statement each, so of two nodes working on
// the same passkey or challenge at once exactly one wins (docs/design/018-webauthn.md).
//
// Thread-safety: a repository belongs to its transaction's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "idm/core/webauthn_model.h"
#include "idm/store/error.h"

namespace idm::store {

class WebAuthnRepo {
 public:
  virtual ~WebAuthnRepo() = default;
  // Inserts the passkey: a confirmed credentials row of type "webauthn" (name, created_at) and
  // its webauthn_credentials row. kConflict if the id exists, the credential ID is registered in
  // the realm already (§7.1 step 22), or the realm or user is absent.
  virtual Status Create(const core::WebAuthnCredential& credential) = 0;
  // kNotFound if no passkey of the realm has this credential ID (base64url).
  virtual Result<core::WebAuthnCredential> GetByCredentialId(const std::string& realm_id,
                                                             const std::string& credential_id) = 0;
  // The user's passkeys, oldest first.
  virtual Result<std::vector<core::WebAuthnCredential>> ListByUser(const std::string& realm_id,
                                                                   const std::string& user_id) = 0;
  // The user whose passkeys carry this user handle (base64url); nullopt if none.
  virtual Result<std::optional<std::string>> UserByHandle(const std::string& realm_id,
                                                          const std::string& user_handle) = 0;
  // Sets sign_count = new_count and last_used_at = now only if the stored count is still
  // `old_count`. True when this call updated it; false when another login changed it first.
  // kNotFound if the passkey is absent.
  virtual Result<bool> UpdateSignCount(const std::string& realm_id, const std::string& id,
                                       int64_t old_count, int64_t new_count,
                                       core::UnixMillis now) = 0;
  // Stores the challenge, replacing an earlier one of the same (realm, flow, purpose), and deletes
  // challenges that expired before challenge.created_at. kConflict if the realm is absent or the
  // challenge value exists already.
  virtual Status PutChallenge(const core::WebAuthnChallenge& challenge) = 0;
  // Deletes and returns the challenge with this value (base64url) and purpose; nullopt if there is
  // none (never issued, replaced, or already taken). The caller checks flow, user and expires_at.
  virtual Result<std::optional<core::WebAuthnChallenge>> TakeChallenge(
      const std::string& realm_id, const std::string& challenge, const std::string& purpose) = 0;
};

}  // namespace idm::store
