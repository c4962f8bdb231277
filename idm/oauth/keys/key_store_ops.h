// KeyStoreOps: the steps KeyService performs inside one store transaction — listing, creating,
// rotating and deleting a realm's keys, each with its audit event — and the mapping of store and
// crypto errors to core::ServiceError. Internal to KeyService.
//
// Failures: kUnavailable (store unreachable), kInternal (store corrupt, key material that does
// not open or parse — e.g. a database written under another KEK), kFailedPrecondition (a realm
// default alg idm does not implement).
//
// Thread-safety: an instance belongs to the thread that owns its transaction.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/crypto/jwk.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/oauth/keys/realm_keys.h"
#include "idm/store/store.h"

namespace idm::crypto {
class Kek;
}

namespace idm::oauth {

class KeyStoreOps {
 public:
  // generate: makes each new key (KeyServiceOptions::generate_key; empty = SigningKey::Generate).
  KeyStoreOps(store::Transaction& tx, const crypto::Kek& kek, core::Random& random,
              const core::OpContext& ctx, std::string realm_id, const KeyGenerator& generate)
      : tx_(tx),
        kek_(kek),
        random_(random),
        ctx_(ctx),
        realm_id_(std::move(realm_id)),
        generate_(generate) {}

  // The realm's keys, newest first.
  core::ServiceResult<std::vector<core::SigningKey>> List();
  // Generates a key of alg, seals it, inserts it with `status`, appends KeyCreated.
  core::ServiceResult<core::SigningKey> Create(crypto::JwsAlg alg, core::KeyStatus status);
  // next (or a new key) -> active, active -> retired until retired_expires_at, new next;
  // appends KeyRotated, KeyRetired, KeyCreated.
  core::ServiceStatus Rotate(const std::vector<core::SigningKey>& keys, crypto::JwsAlg alg,
                             core::UnixMillis retired_expires_at);
  // Deletes the key and appends KeyDeleted.
  core::ServiceStatus Delete(const core::SigningKey& key);

  static core::ServiceResult<std::unique_ptr<store::Transaction>> Begin(store::Store& store,
                                                                        store::TxMode mode);
  static core::ServiceError Map(const store::Error& error, const char* what);
  // The algorithms the realm signs with: its default alg, then RS256 (OIDC Core §15.1).
  static core::ServiceResult<std::vector<crypto::JwsAlg>> RealmAlgs(const core::Realm& realm);
  // The newest key of alg in status, or nullptr.
  static const core::SigningKey* Find(const std::vector<core::SigningKey>& keys, crypto::JwsAlg alg,
                                      core::KeyStatus status);
  // Builds the snapshot: public JWKs of every key, decrypted active keys, JWKS bytes.
  static core::ServiceResult<std::shared_ptr<const RealmKeys>> Snapshot(
      const crypto::Kek& kek, const std::string& realm_id, std::vector<core::SigningKey> rows);
  // The AAD binding a sealed private key to its realm and kid.
  static std::string SealAad(const std::string& realm_id, const std::string& kid);

 private:
  core::ServiceStatus UpdateStatus(core::SigningKey key, core::KeyStatus status,
                                   core::UnixMillis expires_at);

  store::Transaction& tx_;
  const crypto::Kek& kek_;
  core::Random& random_;
  const core::OpContext& ctx_;
  std::string realm_id_;
  const KeyGenerator& generate_;
};

}  // namespace idm::oauth
