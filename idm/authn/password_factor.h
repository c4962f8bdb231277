// The password factor (RFC 8176 §2 "pwd") of the login flow: who a login form names, the stored
// Argon2 hash, the brute-force state of the attempt (brute_force.h), and the one verification
// every attempt costs. LoginService's password step is these two calls around the store
// transactions; a second factor (TOTP, WebAuthn) will sit beside this file.
//
// Thread-safety: free functions; the hasher is thread-safe.
#pragma once

#include <optional>
#include <string>

#include "idm/core/model.h"
#include "idm/core/service_error.h"
#include "idm/crypto/password.h"
#include "idm/store/store.h"

namespace idm::authn {

// What the store says about one password attempt.
struct PasswordAttempt {
  std::optional<core::User> user;  // the user the form names (username, else email); nullopt
  std::string phc;                 // the user's password hash; "" when none
  bool throttled = false;          // the user's or the address's counter refuses the attempt now
};

// Reads the attempt's user, hash and counters (user and client address) in tx.
core::ServiceResult<PasswordAttempt> LoadPasswordAttempt(store::Transaction& tx,
                                                         const core::Realm& realm,
                                                         const std::string& login,
                                                         const std::string& client_ip,
                                                         core::UnixMillis now);

// True when the attempt succeeds: not throttled, an enabled user with a hash that the password
// matches. Runs exactly one Argon2 verification in every case — against `decoy_phc` when there is
// no real hash or the attempt is refused — so the time taken does not reveal which case it was.
bool VerifyPasswordAttempt(const crypto::PasswordHasher& hasher, const std::string& decoy_phc,
                           const PasswordAttempt& attempt, const std::string& password);

// True when the user's or the address's counter refuses an attempt at now (a second-factor
// attempt is throttled exactly like a password attempt).
core::ServiceResult<bool> AttemptThrottled(store::Transaction& tx, const core::Realm& realm,
                                           const std::string& user_id,
                                           const std::string& client_ip, core::UnixMillis now);

}  // namespace idm::authn
