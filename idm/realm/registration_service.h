// RegistrationService: dynamic client registration (RFC 7591) and management (RFC 7592) as a
// domain service, plus the initial access tokens administrators hand out.
//
// Policy per realm (RealmSettings::client_registration):
//   "disabled"             Register fails with kPermissionDenied;
//   "initial_access_token" Register needs an unexpired initial access token with uses left
//                          (kUnauthenticated otherwise: absent, unknown, expired, used up alike);
//   "open"                 anyone may register; a token, if sent, is ignored.
// Clients are created, read, updated and deleted through ClientService, so validation and the
// ClientCreated/ClientUpdated/ClientDeleted audit events are those of admin-created clients. The
// initial access token's use and the registration access token are written in the client's
// creation transaction, so a failed creation uses nothing up.
//
// Tokens (CONVENTIONS.md §7): initial access tokens "idm_iat_...", registration access tokens
// "idm_rat_..." (crypto::NewSecret); only crypto::HashSecret of them is stored, and each is
// returned in clear once. Registration access tokens are checked in constant time.
// Rotation (RFC 7592 §3): a read (Read) or update (Update) replaces the registration access token
// with a new one in the same transaction, by a conditional update on the old token's hash; the
// old token stops working at once, and of two concurrent uses of one token exactly one succeeds
// (the other gets kUnauthenticated, as for any stale token).
// Audit events: InitialAccessTokenCreated, InitialAccessTokenDeleted,
// RegistrationAccessTokenRotated (details never hold tokens).
//
// Failures: kInvalidArgument (field violations), kNotFound (realm, token, client),
// kUnauthenticated, kPermissionDenied, kUnavailable, kInternal.
//
// Thread-safety: safe to share between threads; every call runs in its own store transaction(s).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/registration_model.h"
#include "idm/core/service_error.h"
#include "idm/realm/client_service.h"
#include "idm/store/store.h"

namespace idm::realm {

struct IssuedInitialAccessToken {
  core::InitialAccessToken info;  // as stored (token_hash included; never show it)
  std::string token;              // "idm_iat_...", shown once
};

struct RegisteredClient {
  core::Client client;
  std::string client_secret;              // "" for clients without a secret
  std::string registration_access_token;  // "idm_rat_...", shown once
};

class RegistrationService {
 public:
  RegistrationService(store::Store& store, ClientService& clients, core::Random& random)
      : store_(store), clients_(clients), random_(random) {}

  // An initial access token of `realm` valid for expires_in_s (1 s .. 1 year) and max_uses
  // registrations (0 = unlimited, else 1..10000). kInvalidArgument, kNotFound (realm).
  core::ServiceResult<IssuedInitialAccessToken> CreateInitialAccessToken(
      const core::OpContext& ctx, const std::string& realm, int64_t expires_in_s, int64_t max_uses,
      const std::string& description);
  core::ServiceResult<std::vector<core::InitialAccessToken>> ListInitialAccessTokens(
      const std::string& realm);
  // kNotFound if the realm has no such token.
  core::ServiceStatus DeleteInitialAccessToken(const core::OpContext& ctx, const std::string& realm,
                                               const std::string& id);

  // RFC 7591 §3.1: creates a client from `draft` (its client_id is replaced by a new UUID) under
  // the realm's policy; `initial_access_token` is the bearer token of the request, if any.
  core::ServiceResult<RegisteredClient> Register(
      const core::OpContext& ctx, const std::string& realm, const core::Client& draft,
      const std::optional<std::string>& initial_access_token);

  // RFC 7592 §2: the client with OAuth client_id `client_id` if `registration_access_token` is
  // its registration access token. kUnauthenticated for an unknown client, a client not
  // registered dynamically and a wrong token alike.
  core::ServiceResult<core::Client> Authorize(const std::string& realm,
                                              const std::string& client_id,
                                              const std::string& registration_access_token);
  // RFC 7592 §2.1 and §3: the client, as Authorize, with a new registration access token that
  // replaced `registration_access_token` (client_secret stays ""). kUnauthenticated as
  // Authorize, and when a concurrent request rotated the token first.
  core::ServiceResult<RegisteredClient> Read(const core::OpContext& ctx, const std::string& realm,
                                             const std::string& client_id,
                                             const std::string& registration_access_token);
  // RFC 7592 §2.2 and §3: replaces the client's metadata with `changes` (client_id cannot change:
  // kInvalidArgument) and rotates the registration access token in the same transaction; an
  // update that fails leaves the old token valid. Authorize first.
  core::ServiceResult<RegisteredClient> Update(const core::OpContext& ctx, const std::string& realm,
                                               const std::string& client_id,
                                               const std::string& registration_access_token,
                                               const core::Client& changes);
  // RFC 7592 §2.3: deletes the client (its registration goes with it). Authorize first.
  core::ServiceStatus Delete(const core::OpContext& ctx, const std::string& realm,
                             const std::string& client_id,
                             const std::string& registration_access_token);

 private:
  // Authorize inside `tx`.
  core::ServiceResult<core::Client> AuthorizeIn(store::Transaction& tx, const core::Realm& realm,
                                                const std::string& client_id,
                                                const std::string& registration_access_token);
  // Replaces the hash of `old_token` by that of `new_token` and writes
  // RegistrationAccessTokenRotated; kUnauthenticated if the stored hash is no longer old_token's.
  core::ServiceStatus Rotate(store::Transaction& tx, const core::OpContext& ctx,
                             const core::Client& client, const std::string& old_token,
                             const std::string& new_token, const char* reason);

  store::Store& store_;
  ClientService& clients_;
  core::Random& random_;
};

}  // namespace idm::realm
