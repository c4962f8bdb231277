// ClientService: OAuth clients of a realm (RFC 6749 §2) — registration data, redirect URIs,
// grant types, the client secret, and client authentication at the token endpoint.
//
// Secrets (ARCHITECTURE.md decision 4, CONVENTIONS.md §7): a confidential client whose
// token_endpoint_auth_method is client_secret_basic or client_secret_post gets a server-generated
// secret "idm_cs_<43 base64url chars>" (crypto::NewSecret). Only crypto::HashSecret of it is
// stored; the plaintext is returned once, by Create or RegenerateSecret, and never again. Public
// clients must use "none" and have no secret; private_key_jwt clients have no secret either.
//
// Validation (kInvalidArgument with one FieldViolation per problem):
//  - client_id: [A-Za-z0-9._:-]{1,128};
//  - redirect_uris / post_logout_redirect_uris: absolute, no fragment (RFC 6749 §3.1.2), no
//    wildcard, and either https, or http only to a loopback host (127.0.0.1, [::1], localhost;
//    RFC 8252 §7.3), or a private-use scheme containing a dot (reverse domain, RFC 8252 §7.1);
//  - grant_types: authorization_code, client_credentials, refresh_token,
//    urn:ietf:params:oauth:grant-type:device_code, urn:ietf:params:oauth:grant-type:token-exchange
//    (no "password": RFC 9700 §2.4), at least one;
//    client_credentials only for confidential clients; authorization_code needs a redirect URI;
//  - token_endpoint_auth_method: client_secret_basic, client_secret_post, private_key_jwt, none;
//    public clients must use none, confidential clients must not;
//  - name/description bounded, scopes are RFC 6749 §3.3 scope tokens.
//
// Every mutating call writes one audit event in its transaction: ClientCreated, ClientUpdated,
// ClientDeleted, ClientSecretRegenerated. Details never contain the secret or its hash.
//
// Failures: kInvalidArgument, kNotFound (realm or client), kAlreadyExists (client_id taken),
// kPreconditionFailed (version), kFailedPrecondition (a secret for a client that has none),
// kUnauthenticated / kPermissionDenied (Authenticate), kUnavailable, kInternal.
//
// Thread-safety: safe to share between threads; every call runs in its own store transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/realm/directory_cache.h"
#include "idm/store/store.h"

namespace idm::realm {

// A client as created, and its secret in clear — the only time it is available. `secret` is empty
// for clients without one (public, private_key_jwt).
struct CreatedClient {
  core::Client client;
  std::string secret;
};

// A step run inside Create's transaction after the client and its ClientCreated event are written
// and before the commit (dynamic registration consumes the initial access token and stores the
// registration access token there). An error from it rolls the whole creation back.
using InTransaction =
    std::function<core::ServiceStatus(store::Transaction& tx, const core::Client& created)>;

class ClientService {
 public:
  ClientService(store::Store& store, core::Random& random)
      : store_(store), random_(random), for_authentication_(store) {}

  // Creates a client in realm (by name) from draft (id, secret_hash, timestamps, version are
  // assigned here). `chosen_secret` lets the composition root install an operator-provided secret
  // (IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET); it must be 32..512 printable ASCII characters and is
  // only accepted for clients that use a secret (else kInvalidArgument, field "secret").
  // `also`, when set, runs in the same transaction (see InTransaction).
  core::ServiceResult<CreatedClient> Create(
      const core::OpContext& ctx, const std::string& realm, const core::Client& draft,
      const std::optional<std::string>& chosen_secret = std::nullopt,
      const InTransaction& also = nullptr);

  // By internal id / by OAuth client_id. kNotFound.
  core::ServiceResult<core::Client> Get(const std::string& realm, const std::string& id);
  core::ServiceResult<core::Client> GetByClientId(const std::string& realm,
                                                  const std::string& client_id);

  // A page of the realm's clients ordered by client_id; q.prefix matches client_id or name.
  // kInvalidArgument for a bad cursor or a limit outside 1..1000.
  core::ServiceResult<core::Page<core::Client>> List(const std::string& realm,
                                                     const store::ListQuery& q);

  // Replaces the registration data of client `id` (client_id, name, description, enabled, type,
  // URIs, grant types, auth method, scopes, attributes) if its version is expected_version. The
  // secret is kept while the new auth method uses one and dropped otherwise; a client switched to
  // a secret method without having one must call RegenerateSecret before it can authenticate.
  // `also`, when set, runs in the same transaction after the ClientUpdated event (dynamic
  // registration rotates the registration access token there); its error rolls the update back.
  core::ServiceResult<core::Client> Update(const core::OpContext& ctx, const std::string& realm,
                                           const std::string& id, const core::Client& changes,
                                           int64_t expected_version,
                                           const InTransaction& also = nullptr);

  // Deletes the client and its client roles.
  core::ServiceStatus Delete(const core::OpContext& ctx, const std::string& realm,
                             const std::string& id);

  // Replaces the secret with a new one and returns it in clear (once). kFailedPrecondition if the
  // client's auth method uses no secret.
  core::ServiceResult<std::string> RegenerateSecret(const core::OpContext& ctx,
                                                    const std::string& realm,
                                                    const std::string& id);

  // Client authentication with a secret (RFC 6749 §2.3.1). The comparison is constant-time, and
  // an unknown client_id costs the same hash-and-compare as a known one, so kUnauthenticated
  // ("invalid client credentials") is the same for unknown clients, wrong secrets and clients
  // without a secret. Only after the secret matched: kPermissionDenied for a disabled client or a
  // disabled realm. The realm and client rows come from a DirectoryCache (see directory_cache.h
  // for how soon changes are seen); the secret is checked on every call.
  core::ServiceResult<core::Client> Authenticate(const std::string& realm,
                                                 const std::string& client_id,
                                                 const std::string& secret);

 private:
  // What Authenticate reads: the realm (nullopt: none of that name) and the client (nullopt: none
  // with that client_id in it).
  struct RealmAndClient {
    std::optional<core::Realm> realm;
    std::optional<core::Client> client;
  };

  store::Store& store_;
  core::Random& random_;
  DirectoryCache<RealmAndClient> for_authentication_;  // by realm name + '\n' + client_id
};

// Whether a client of this type and auth method carries a secret.
bool UsesSecret(const core::Client& client);

}  // namespace idm::realm
