// ConsentService and LockoutService: what an administrator does about a user's consents
// (OIDC Core §3.1.2.4) and brute-force lock (brute_force.h) through the admin API.
//
// Revoking a consent deletes it and revokes the user's refresh tokens for that client (RFC 7009
// §2.1: revoking a grant ends the tokens issued under it), so the client must ask again. Every
// change writes its audit event (ConsentRevoked, UserUnlocked) in the same transaction.
//
// Failures: kNotFound (realm, user, client, or no consent to revoke), kUnavailable, kInternal.
// Thread-safety: safe to share between threads; each call runs in its own transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/oidc_model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::authn {

// A consent with the client it was given to.
struct ConsentView {
  core::Consent consent;
  std::string client_id;  // the OAuth client_id
  std::string client_name;
};

class ConsentService {
 public:
  ConsentService(store::Store& store, core::Random& random) : store_(store), random_(random) {}

  // The user's consents, ordered by internal client id.
  core::ServiceResult<std::vector<ConsentView>> List(const std::string& realm,
                                                     const std::string& user_id);

  // Withdraws the consent the user gave the client named by its OAuth client_id; returns how many
  // refresh tokens were revoked with it.
  core::ServiceResult<int64_t> Revoke(const core::OpContext& ctx, const std::string& realm,
                                      const std::string& user_id, const std::string& client_id);

 private:
  store::Store& store_;
  core::Random& random_;
};

class LockoutService {
 public:
  LockoutService(store::Store& store, core::Random& random) : store_(store), random_(random) {}

  // Lifts the user's brute-force lock and clears the count (idempotent: a user without failures
  // is fine). kNotFound for an unknown realm or user.
  core::ServiceStatus Unlock(const core::OpContext& ctx, const std::string& realm,
                             const std::string& user_id);

  // The user's failure counter, nullopt when none is recorded.
  core::ServiceResult<std::optional<core::LoginFailureCounter>> Get(const std::string& realm,
                                                                    const std::string& user_id);

 private:
  store::Store& store_;
  core::Random& random_;
};

}  // namespace idm::authn
