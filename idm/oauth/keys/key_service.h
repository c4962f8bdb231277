// KeyService: the signing keys of every realm (ARCHITECTURE.md decision 5;
// docs/design/005-tokens.md).
//
// Each realm keeps, per algorithm it signs with — its default (RealmSettings::default_signing_alg,
// ES256 unless changed) and RS256 (OIDC Core §15.1 requires RS256 to be available):
//   one kActive key (signs), one kNext key (published in JWKS before it signs), and kRetired keys
//   (published until every token they signed has expired, then pruned).
// Private keys are stored sealed with the KEK (AAD = realm id + kid); the public JWK is stored in
// clear. Every key change writes its audit event (KeyCreated, KeyRotated, KeyRetired, KeyDeleted)
// in the same transaction.
//
// Decrypted keys and the realm's JWKS bytes are cached in memory per realm and reloaded after
// `cache_ttl_ms` (so rotations by other nodes are seen within a minute) or at once after a change
// made through this instance.
//
// Errors are core::ServiceError: kUnavailable when the store cannot be reached, kInternal when
// stored key material cannot be opened (wrong KEK, corrupt row), kFailedPrecondition from
// VerifyKek for a KEK that does not match the database, kInvalidArgument for an unsupported alg.
//
// Thread-safety: safe to share between threads; the cache is guarded by a mutex and hands out
// immutable snapshots.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "idm/core/clock.h"
#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/crypto/signing_key.h"
#include "idm/oauth/keys/realm_keys.h"
#include "idm/store/store.h"

namespace idm::crypto {
class Kek;
}

namespace idm::oauth {

// Makes a new signing key for an algorithm.
using KeyGenerator = std::function<crypto::Result<crypto::SigningKey>(crypto::JwsAlg)>;

struct KeyServiceOptions {
  int64_t cache_ttl_ms = 60'000;  // how stale another node's rotation may look here
  int64_t retire_leeway_s = 60;   // added to the longest token lifetime before a retired key goes
  // How long a next key is in JWKS before scheduled rotation lets it sign (capped at half the
  // realm's interval): relying parties that cache JWKS for up to a day already know it.
  int64_t next_key_lead_s = 86400;
  // Makes each new signing key; empty means crypto::SigningKey::Generate. The unit-test fixtures
  // hand out pre-generated RSA keys here (tests/support/pooled_keys.h): an RSA-2048 generation
  // costs 50-500 ms, and every realm gets four keys.
  KeyGenerator generate_key;
};

class KeyService {
 public:
  // The meta row that holds crypto::Kek::MakeCheck() of the database's KEK.
  static constexpr char kKekCheckMetaKey[] = "kek_check";

  KeyService(store::Store& store, const crypto::Kek& kek, core::Random& random,
             const core::Clock& clock, KeyServiceOptions options = {});

  // The KEK check (run once at start, before anything else is written): when the meta row
  // "kek_check" is absent, stores kek.MakeCheck(); when present and the KEK does not match it,
  // fails with kFailedPrecondition and a message telling the operator to supply the original KEK,
  // so the server refuses to start. Writes nothing in that case.
  core::ServiceStatus VerifyKek();

  // Makes sure `realm` has an active and a next key for its default alg and for RS256, creating
  // what is missing (one transaction). Idempotent.
  core::ServiceStatus EnsureKeys(const core::OpContext& ctx, const core::Realm& realm);

  // Rotates the realm's `alg` keys: the next key (or, if there is none, a new one) becomes active,
  // a new next key is published, and the previous active key is retired with expires_at = now +
  // the realm's longest token lifetime + retire_leeway_s. kInvalidArgument for an alg the realm
  // does not sign with.
  core::ServiceStatus Rotate(const core::OpContext& ctx, const core::Realm& realm,
                             const std::string& alg);

  // Scheduled rotation (RealmSettings::key_rotation_interval_s > 0; rotation_policy.h), per alg
  // the realm signs with, each in one transaction that reads the keys and acts on what it read:
  // publishes a missing next key, or rotates as Rotate does when the active key is at least the
  // interval old and the next key has been published for the lead time. The rotation's updates
  // are conditional on the statuses read (KeyRepo::UpdateIfStatus), so when two nodes decide at
  // once only one rotation commits; the other fails with kPreconditionFailed and writes nothing.
  // Returns how many algs rotated.
  core::ServiceResult<int> RotateIfDue(const core::OpContext& ctx, const core::Realm& realm);

  // Deletes the realm's retired keys whose expires_at has passed. Returns how many went.
  core::ServiceResult<int> Prune(const core::OpContext& ctx, const core::Realm& realm);

  // The realm's keys (decrypted) and JWKS document, from the cache when it is fresh. When the
  // cached set has expired, one caller reloads it and the others go on with the expired set until
  // the new one is in (it is no older than a reload started a moment earlier would give them), so
  // an expiry costs one load, not one per worker thread.
  core::ServiceResult<std::shared_ptr<const RealmKeys>> Keys(const core::Realm& realm);

  // Drops the cached keys of one realm (e.g. after it was deleted).
  void Invalidate(const std::string& realm_id);

 private:
  struct CacheEntry {
    std::shared_ptr<const RealmKeys> keys;
    core::UnixMillis loaded_at = 0;
    bool reloading = false;  // a caller is loading a newer set
  };

  core::ServiceResult<std::shared_ptr<const RealmKeys>> Load(const core::Realm& realm);
  // Load, creating the keys of algs the realm lacks first (a realm created since start).
  core::ServiceResult<std::shared_ptr<const RealmKeys>> LoadComplete(const core::Realm& realm,
                                                                     core::UnixMillis now);

  store::Store& store_;
  const crypto::Kek& kek_;
  core::Random& random_;
  const core::Clock& clock_;
  KeyServiceOptions options_;
  std::mutex mu_;
  std::map<std::string, CacheEntry> cache_;  // by realm id; guarded by mu_
  // Raised by every Invalidate; a load that saw it change meanwhile does not enter the cache
  // (it may have read the keys before the change). Guarded by mu_.
  uint64_t invalidations_ = 0;
};

}  // namespace idm::oauth
