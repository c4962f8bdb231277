// UserService: the users of a realm and their passwords.
//
// Usernames and emails are unique per realm case-insensitively (stored as given). Passwords are
// hashed with Argon2id (crypto::PasswordHasher, ARCHITECTURE.md decision 4) BEFORE the store
// transaction begins, so the database writer is never held for the cost of a hash. Every password
// change is checked against the realm's PasswordPolicy (core/model.h).
//
// Validation (kInvalidArgument, one FieldViolation per problem):
//  - username: [A-Za-z0-9._@+-]{1,255};
//  - email: "" or a simple RFC 5322 addr-spec (local@domain, dot-atom local part, domain of
//    LDH labels with a dot), at most 254 bytes (RFC 5321 §4.5.3.1.3);
//  - first_name / last_name: at most 255 bytes, no control characters;
//  - attributes: at most 100 keys of [A-Za-z0-9._:-]{1,255}, at most 100 values per key, each at
//    most 2048 bytes;
//  - password (field "password"): length min_length..max_length (in characters), the character
//    classes the policy requires, and not the username (case-insensitive) when not_username.
//
// Every mutating call writes one audit event in its transaction: UserCreated (a password given to
// Create is part of it), UserUpdated, UserDeleted, PasswordChanged. Details never contain
// passwords or hashes.
//
// Failures: kInvalidArgument, kNotFound (realm or user), kAlreadyExists (username or email
// taken), kPreconditionFailed (version), kUnauthenticated (VerifyPassword), kUnavailable,
// kInternal.
//
// Thread-safety: safe to share between threads; every call runs in its own store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/crypto/password.h"
#include "idm/store/store.h"

namespace idm::account {

// The user a login names: by username, else (for input with '@') by email, case-insensitively;
// nullopt when there is none (or login is empty). Store errors other than kNotFound are returned
// (mapped as the services map them). Runs in the caller's transaction.
core::ServiceResult<std::optional<core::User>> FindLoginUser(store::Transaction& tx,
                                                             const std::string& realm_id,
                                                             const std::string& login);

class UserService {
 public:
  // hasher and random must outlive the service.
  UserService(store::Store& store, const crypto::PasswordHasher& hasher, core::Random& random);

  // Creates a user in realm (by name) from draft (username, email, email_verified, names,
  // enabled, attributes; id, timestamps, version assigned here), with an initial password when
  // given (checked against the realm's policy).
  core::ServiceResult<core::User> Create(const core::OpContext& ctx, const std::string& realm,
                                         const core::User& draft,
                                         const std::optional<std::string>& password);

  // By id / by username (case-insensitive). kNotFound.
  core::ServiceResult<core::User> Get(const std::string& realm, const std::string& id);
  core::ServiceResult<core::User> GetByUsername(const std::string& realm,
                                                const std::string& username);

  // A page of users ordered by lower-case username; q.prefix matches username, email, first or
  // last name. kInvalidArgument for a bad cursor or limit outside 1..1000.
  core::ServiceResult<core::Page<core::User>> List(const std::string& realm,
                                                   const store::ListQuery& q);
  core::ServiceResult<int64_t> Count(const std::string& realm);

  // Replaces username, email, email_verified, names, enabled and attributes of user `id` if its
  // version is expected_version. Returns the stored user (version + 1).
  core::ServiceResult<core::User> Update(const core::OpContext& ctx, const std::string& realm,
                                         const std::string& id, const core::User& changes,
                                         int64_t expected_version);

  // Deletes the user with credentials, memberships and grants.
  core::ServiceStatus Delete(const core::OpContext& ctx, const std::string& realm,
                             const std::string& id);

  // Sets (or replaces) the password after checking the realm's policy (violations under field
  // "password").
  core::ServiceStatus SetPassword(const core::OpContext& ctx, const std::string& realm,
                                  const std::string& user_id, const std::string& password);

  // Checks a password for the user whose username — or else email — is username_or_email
  // (case-insensitive). Returns the user when it matches and the user is enabled. Unknown user,
  // user without a password, wrong password, disabled user and disabled realm all fail with the
  // same kUnauthenticated "invalid credentials"; when no hash exists an Argon2 verification
  // against a dummy hash still runs, so the time taken does not reveal whether the user exists.
  // kNotFound only for an unknown realm (realm names are public).
  core::ServiceResult<core::User> VerifyPassword(const std::string& realm,
                                                 const std::string& username_or_email,
                                                 const std::string& password);

 private:
  store::Store& store_;
  const crypto::PasswordHasher& hasher_;
  core::Random& random_;
  std::string dummy_hash_;  // an Argon2 hash of a random string, for unknown users
};

}  // namespace idm::account
