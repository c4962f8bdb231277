// RealmKeys: an immutable snapshot of one realm's signing keys as KeyService loaded them — the
// published public keys (JWKS: next, active and retired), the decrypted active keys that sign,
// and the JWKS document's bytes, ready to serve.
//
// Thread-safety: immutable after construction; shared between threads through
// std::shared_ptr<const RealmKeys>.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/crypto/jwk.h"
#include "idm/crypto/signing_key.h"

namespace idm::oauth {

struct RealmKeys {
  std::string realm_id;
  std::vector<core::SigningKey> records;   // as stored, newest first, without the
                                           // sealed private key
  std::vector<crypto::SigningKey> active;  // decrypted kActive keys, newest first
  crypto::JwkSet published;                // next + active + retired public keys
  std::string jwks_json;                   // {"keys":[...]} of `published`

  // The newest active key of alg, or nullptr when the realm has none.
  const crypto::SigningKey* ActiveKey(crypto::JwsAlg alg) const {
    for (const crypto::SigningKey& k : active) {
      if (k.alg() == alg) return &k;
    }
    return nullptr;
  }
};

}  // namespace idm::oauth
