// Per-realm signing keys: creation, rotation, pruning, KEK check (ARCHITECTURE.md decision 5;
// docs/design/005-tokens.md).
#include "idm/oauth/keys/key_service.h"

#include <algorithm>
#include <iterator>

#include "idm/crypto/kek.h"
#include "idm/oauth/keys/key_audit.h"
#include "idm/oauth/keys/key_store_ops.h"
#include "idm/oauth/keys/rotation_policy.h"

namespace idm::oauth {
namespace {

// The realm's longest signed-token lifetime — its access- and ID-token lifetimes and any
// client's own access_token_ttl_s (docs/design/014) — read in tx: a retired key stays published
// this long.
core::ServiceResult<int64_t> LongestTokenLifetimeS(store::Transaction& tx,
                                                   const core::Realm& realm) {
  int64_t longest = std::max(realm.settings.access_token_ttl_s, realm.settings.id_token_ttl_s);
  store::ListQuery query;
  query.limit = 1000;
  for (;;) {
    store::Result<store::Page<core::Client>> page = tx.clients().List(realm.id, query);
    if (!page) return KeyStoreOps::Map(page.error(), "list clients");
    for (const core::Client& c : page->items) longest = std::max(longest, c.access_token_ttl_s);
    if (page->next_cursor.empty()) return longest;
    query.cursor = page->next_cursor;
  }
}

core::OpContext WithNow(const core::OpContext& ctx, const core::Clock& clock) {
  core::OpContext c = ctx;
  if (c.now == 0) c.now = clock.NowMillis();
  return c;
}

// Ok when `stored` (meta row kek_check) was made with `kek`.
core::ServiceStatus MatchKekCheck(const crypto::Kek& kek, const std::string& stored) {
  if (kek.MatchesCheck(stored)) return {};
  return core::ServiceError{
      core::ServiceErrorCode::kFailedPrecondition,
      "the key-encryption key does not match this database (meta row kek_check): start idm "
      "with the KEK the database was created with (IDM_KEK / IDM_KEK_FILE)",
      {}};
}

// The statuses every signing alg of a realm keeps a key in.
constexpr core::KeyStatus kKeptStatuses[] = {core::KeyStatus::kActive, core::KeyStatus::kNext};

}  // namespace

KeyService::KeyService(store::Store& store, const crypto::Kek& kek, core::Random& random,
                       const core::Clock& clock, KeyServiceOptions options)
    : store_(store), kek_(kek), random_(random), clock_(clock), options_(options) {}

core::ServiceStatus KeyService::VerifyKek() {
  // Every start runs this: read first, and take the writer (which waits for SQLite's background
  // integrity check, docs/design/002) only for a database that has no check row yet.
  {
    IDM_ASSIGN_OR_RETURN(auto ro, KeyStoreOps::Begin(store_, store::TxMode::kReadOnly));
    store::Result<std::string> stored = ro->meta().Get(kKekCheckMetaKey);
    if (stored) return MatchKekCheck(kek_, *stored);
  }
  IDM_ASSIGN_OR_RETURN(auto tx, KeyStoreOps::Begin(store_, store::TxMode::kReadWrite));
  store::Result<std::string> stored = tx->meta().Get(kKekCheckMetaKey);
  if (stored) return MatchKekCheck(kek_, *stored);  // another node wrote it meanwhile
  if (stored.error().code != store::ErrorCode::kNotFound) {
    return KeyStoreOps::Map(stored.error(), "read kek_check");
  }
  if (auto put = tx->meta().Put(kKekCheckMetaKey, kek_.MakeCheck()); !put) {
    return KeyStoreOps::Map(put.error(), "write kek_check");
  }
  if (auto c = tx->Commit(); !c) return KeyStoreOps::Map(c.error(), "commit kek_check");
  return {};
}

core::ServiceStatus KeyService::EnsureKeys(const core::OpContext& ctx_in,
                                           const core::Realm& realm) {
  core::OpContext ctx = WithNow(ctx_in, clock_);
  IDM_ASSIGN_OR_RETURN(std::vector<crypto::JwsAlg> algs, KeyStoreOps::RealmAlgs(realm));
  {
    // Every start runs this for every realm: only a realm that lacks a key takes the writer.
    IDM_ASSIGN_OR_RETURN(auto ro, KeyStoreOps::Begin(store_, store::TxMode::kReadOnly));
    KeyStoreOps reader(*ro, kek_, random_, ctx, realm.id, options_.generate_key);
    IDM_ASSIGN_OR_RETURN(std::vector<core::SigningKey> existing, reader.List());
    const bool complete = std::all_of(algs.begin(), algs.end(), [&](crypto::JwsAlg alg) {
      return std::all_of(std::begin(kKeptStatuses), std::end(kKeptStatuses),
                         [&](core::KeyStatus st) { return KeyStoreOps::Find(existing, alg, st); });
    });
    if (complete) return {};
  }
  IDM_ASSIGN_OR_RETURN(auto tx, KeyStoreOps::Begin(store_, store::TxMode::kReadWrite));
  KeyStoreOps ops(*tx, kek_, random_, ctx, realm.id, options_.generate_key);
  IDM_ASSIGN_OR_RETURN(std::vector<core::SigningKey> keys, ops.List());
  for (crypto::JwsAlg alg : algs) {
    for (core::KeyStatus st : kKeptStatuses) {
      if (!KeyStoreOps::Find(keys, alg, st)) IDM_TRY(ops.Create(alg, st));
    }
  }
  if (auto c = tx->Commit(); !c) return KeyStoreOps::Map(c.error(), "commit keys");
  Invalidate(realm.id);
  return {};
}

core::ServiceStatus KeyService::Rotate(const core::OpContext& ctx_in, const core::Realm& realm,
                                       const std::string& alg_name) {
  core::OpContext ctx = WithNow(ctx_in, clock_);
  IDM_ASSIGN_OR_RETURN(std::vector<crypto::JwsAlg> algs, KeyStoreOps::RealmAlgs(realm));
  crypto::Result<crypto::JwsAlg> alg = crypto::ParseJwsAlg(alg_name);
  if (!alg || std::find(algs.begin(), algs.end(), *alg) == algs.end()) {
    return core::InvalidArgument("realm " + realm.name + " does not sign with " + alg_name,
                                 {{"alg", "not one of the realm's signing algorithms"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, KeyStoreOps::Begin(store_, store::TxMode::kReadWrite));
  KeyStoreOps ops(*tx, kek_, random_, ctx, realm.id, options_.generate_key);
  IDM_ASSIGN_OR_RETURN(std::vector<core::SigningKey> keys, ops.List());
  IDM_ASSIGN_OR_RETURN(int64_t longest_s, LongestTokenLifetimeS(*tx, realm));
  int64_t keep_ms = (longest_s + options_.retire_leeway_s) * 1000;
  IDM_TRY(ops.Rotate(keys, *alg, ctx.now + keep_ms));
  if (auto c = tx->Commit(); !c) return KeyStoreOps::Map(c.error(), "commit rotation");
  Invalidate(realm.id);
  return {};
}

core::ServiceResult<int> KeyService::RotateIfDue(const core::OpContext& ctx_in,
                                                 const core::Realm& realm) {
  core::OpContext ctx = WithNow(ctx_in, clock_);
  if (realm.settings.key_rotation_interval_s <= 0) return 0;
  IDM_ASSIGN_OR_RETURN(std::vector<crypto::JwsAlg> algs, KeyStoreOps::RealmAlgs(realm));
  int rotated = 0;
  for (crypto::JwsAlg alg : algs) {
    IDM_ASSIGN_OR_RETURN(auto tx, KeyStoreOps::Begin(store_, store::TxMode::kReadWrite));
    KeyStoreOps ops(*tx, kek_, random_, ctx, realm.id, options_.generate_key);
    IDM_ASSIGN_OR_RETURN(std::vector<core::SigningKey> keys, ops.List());
    RotationStep step = NextRotationStep(keys, alg, realm.settings.key_rotation_interval_s,
                                         options_.next_key_lead_s, ctx.now);
    if (step == RotationStep::kPublishNext) {
      IDM_ASSIGN_OR_RETURN(core::SigningKey created, ops.Create(alg, core::KeyStatus::kNext));
      (void)created;
    } else if (step == RotationStep::kRotate) {
      IDM_ASSIGN_OR_RETURN(int64_t longest_s, LongestTokenLifetimeS(*tx, realm));
      int64_t keep_ms = (longest_s + options_.retire_leeway_s) * 1000;
      IDM_TRY(ops.Rotate(keys, alg, ctx.now + keep_ms));
      ++rotated;
    } else {
      continue;
    }
    if (auto c = tx->Commit(); !c) return KeyStoreOps::Map(c.error(), "commit scheduled rotation");
    Invalidate(realm.id);
  }
  return rotated;
}

core::ServiceResult<int> KeyService::Prune(const core::OpContext& ctx_in,
                                           const core::Realm& realm) {
  core::OpContext ctx = WithNow(ctx_in, clock_);
  IDM_ASSIGN_OR_RETURN(auto tx, KeyStoreOps::Begin(store_, store::TxMode::kReadWrite));
  KeyStoreOps ops(*tx, kek_, random_, ctx, realm.id, options_.generate_key);
  IDM_ASSIGN_OR_RETURN(std::vector<core::SigningKey> keys, ops.List());
  int pruned = 0;
  for (const core::SigningKey& k : keys) {
    if (k.status != core::KeyStatus::kRetired || k.expires_at == 0 || k.expires_at > ctx.now) {
      continue;
    }
    IDM_TRY(ops.Delete(k));
    ++pruned;
  }
  if (auto c = tx->Commit(); !c) return KeyStoreOps::Map(c.error(), "commit prune");
  if (pruned > 0) Invalidate(realm.id);
  return pruned;
}

core::ServiceResult<std::shared_ptr<const RealmKeys>> KeyService::Keys(const core::Realm& realm) {
  core::UnixMillis now = clock_.NowMillis();
  uint64_t invalidations = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(realm.id);
    if (it != cache_.end()) {
      CacheEntry& e = it->second;
      if (now - e.loaded_at < options_.cache_ttl_ms || e.reloading) return e.keys;
      e.reloading = true;
    }
    invalidations = invalidations_;
  }
  core::ServiceResult<std::shared_ptr<const RealmKeys>> keys = LoadComplete(realm, now);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(realm.id);
  if (!keys) {
    if (it != cache_.end()) it->second.reloading = false;  // the next caller tries again
    return keys;
  }
  if (invalidations == invalidations_) {
    cache_[realm.id] = CacheEntry{*keys, now};
  } else if (it != cache_.end()) {
    it->second.reloading = false;
  }
  return keys;
}

core::ServiceResult<std::shared_ptr<const RealmKeys>> KeyService::LoadComplete(
    const core::Realm& realm, core::UnixMillis now) {
  IDM_ASSIGN_OR_RETURN(std::shared_ptr<const RealmKeys> keys, Load(realm));
  IDM_ASSIGN_OR_RETURN(std::vector<crypto::JwsAlg> algs, KeyStoreOps::RealmAlgs(realm));
  bool complete = std::all_of(algs.begin(), algs.end(),
                              [&](crypto::JwsAlg a) { return keys->ActiveKey(a) != nullptr; });
  if (!complete) {  // a realm created since start, or a new default alg: create its keys now
    IDM_TRY(EnsureKeys(core::OpContext{"system", "", "", now}, realm));
    IDM_ASSIGN_OR_RETURN(keys, Load(realm));
  }
  return keys;
}

void KeyService::Invalidate(const std::string& realm_id) {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.erase(realm_id);
  ++invalidations_;
}

core::ServiceResult<std::shared_ptr<const RealmKeys>> KeyService::Load(const core::Realm& realm) {
  IDM_ASSIGN_OR_RETURN(auto tx, KeyStoreOps::Begin(store_, store::TxMode::kReadOnly));
  store::Result<std::vector<core::SigningKey>> rows = tx->keys().List(realm.id);
  if (!rows) return KeyStoreOps::Map(rows.error(), "list keys");
  return KeyStoreOps::Snapshot(kek_, realm.id, std::move(*rows));
}

}  // namespace idm::oauth
