// Dynamic client registration state (RFC 7591, RFC 7592) as plain value types: initial access
// tokens an administrator hands out, and the registration access token of each dynamically
// registered client. Only crypto::HashSecret of a token is stored (ARCHITECTURE.md decision 4).
// Conventions as in idm/core/model.h (Unix ms; ids are UUIDs).
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>

#include "idm/core/clock.h"

namespace idm::core {

// RFC 7591 §3: a bearer token that authorizes client registration at the registration endpoint
// when the realm's client_registration is "initial_access_token". Token: "idm_iat_" + secret.
struct InitialAccessToken {
  std::string id;
  std::string realm_id;
  std::string token_hash;   // HashSecret(token); unique
  std::string description;  // the administrator's note
  UnixMillis created_at = 0;
  UnixMillis expires_at = 0;
  int64_t max_uses = 1;  // registrations it may authorize; 0 = unlimited until expires_at
  int64_t uses = 0;
  std::string created_by;  // the actor that created it ("user:<id>", "client:<client_id>")
};

// RFC 7592 §1: the credential of a registered client's configuration endpoint.
// Token: "idm_rat_" + secret.
struct ClientRegistration {
  std::string client_id;  // internal Client::id
  std::string realm_id;
  std::string token_hash;  // HashSecret(registration access token)
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
};

}  // namespace idm::core
