// The realm's JSON Web Key Set, RFC 7517 §5:
// GET /realms/{realm}/protocol/openid-connect/certs. Serves the bytes KeyService precomputed for
// the realm: next, active and retired public keys (ARCHITECTURE.md decision 5). Unknown or
// disabled realm: 404 JSON; store or key failure: 503 / 500 JSON.
//
// Thread-safety: Handle is const and safe to call concurrently.
#pragma once

#include "idm/http/web.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/realm/realm_service.h"

namespace idm::oauth {

class JwksEndpoint {
 public:
  JwksEndpoint(realm::RealmService& realms, KeyService& keys) : realms_(realms), keys_(keys) {}

  http::WebResponse Handle(const http::WebRequest& request) const;

 private:
  realm::RealmService& realms_;
  KeyService& keys_;
};

}  // namespace idm::oauth
