// RegistrationRepo: the store side of dynamic client registration (RFC 7591 / RFC 7592) —
// initial access tokens and registration access tokens (idm/core/registration_model.h).
// Part of store::Transaction (store.h): `tx->registrations()`.
//
// Error contract as in store.h: every method may also fail with kUnavailable or kCorrupt.
//
// Thread-safety: belongs to the transaction's thread.
#pragma once

#include <string>
#include <vector>

#include "idm/core/registration_model.h"
#include "idm/store/error.h"

namespace idm::store {

class RegistrationRepo {
 public:
  virtual ~RegistrationRepo() = default;

  // kConflict if the id or token hash exists; kNotFound-free (a missing realm is kConflict).
  virtual Status InsertInitialAccessToken(const core::InitialAccessToken& token) = 0;
  // The realm's initial access tokens, newest first.
  virtual Result<std::vector<core::InitialAccessToken>> ListInitialAccessTokens(
      const std::string& realm_id) = 0;
  // kNotFound if the realm has no such token.
  virtual Status DeleteInitialAccessToken(const std::string& realm_id, const std::string& id) = 0;
  // Takes one use of the token with this hash if it is unexpired at `now` and has uses left, in
  // one conditional UPDATE (so concurrent registrations on several nodes cannot overdraw it), and
  // returns it as updated. kNotFound when no token of the realm has the hash, it has expired or
  // it is used up (the caller answers all three alike).
  virtual Result<core::InitialAccessToken> ConsumeInitialAccessToken(const std::string& realm_id,
                                                                     const std::string& token_hash,
                                                                     core::UnixMillis now) = 0;

  // Inserts or replaces the registration access token of a client. kConflict if the client or
  // realm is absent.
  virtual Status PutClientRegistration(const core::ClientRegistration& registration) = 0;
  // kNotFound if the client was not registered dynamically (or is gone).
  virtual Result<core::ClientRegistration> GetClientRegistration(const std::string& realm_id,
                                                                 const std::string& client_id) = 0;
  // Replaces the client's registration access token hash `old_hash` by `new_hash` (RFC 7592 §3
  // rotation) in one conditional UPDATE on the old hash, so of two transactions that both read
  // `old_hash` exactly one replaces it: PostgreSQL makes the second wait for the first's row lock
  // and re-check the WHERE, SQLite's single writer serialises them. kVersionMismatch when the
  // stored hash is no longer `old_hash`; kNotFound when the client has no registration.
  virtual Status ReplaceClientRegistrationToken(const std::string& realm_id,
                                                const std::string& client_id,
                                                const std::string& old_hash,
                                                const std::string& new_hash,
                                                core::UnixMillis now) = 0;
};

}  // namespace idm::store
