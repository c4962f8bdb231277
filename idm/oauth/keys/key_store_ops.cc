#include "idm/oauth/keys/key_store_ops.h"

#include "idm/core/log.h"
#include "idm/crypto/kek.h"
#include "idm/crypto/signing_key.h"
#include "idm/oauth/keys/key_audit.h"

namespace idm::oauth {
namespace {

core::ServiceError Internal(std::string log_detail) {
  core::log::Error("keys: internal error", {{"detail", log_detail}});
  return {core::ServiceErrorCode::kInternal, "signing keys are unusable; see the server log", {}};
}

core::ServiceError FromCrypto(const crypto::Error& e, const std::string& kid, const char* what) {
  return Internal(std::string(what) + " (kid " + kid + "): " + crypto::ErrorCodeName(e.code) +
                  ": " + e.message);
}

core::Json KeyDetails(const core::SigningKey& k) { return {{"alg", k.alg}, {"kid", k.kid}}; }

}  // namespace

core::ServiceResult<std::unique_ptr<store::Transaction>> KeyStoreOps::Begin(store::Store& store,
                                                                            store::TxMode mode) {
  auto tx = store.Begin(mode);
  if (!tx) return Map(tx.error(), "begin");
  return std::move(*tx);
}

core::ServiceError KeyStoreOps::Map(const store::Error& error, const char* what) {
  if (error.code == store::ErrorCode::kUnavailable || error.code == store::ErrorCode::kConflict) {
    core::log::Warn("keys: store unavailable", {{"what", what}, {"detail", error.message}});
    return {core::ServiceErrorCode::kUnavailable, "the database is unavailable", {}};
  }
  if (error.code == store::ErrorCode::kVersionMismatch) {
    return {core::ServiceErrorCode::kPreconditionFailed,
            "the realm's keys were changed concurrently (another node rotated them)",
            {}};
  }
  return Internal(std::string(what) + ": " + store::ErrorCodeName(error.code) + ": " +
                  error.message);
}

core::ServiceResult<std::vector<crypto::JwsAlg>> KeyStoreOps::RealmAlgs(const core::Realm& realm) {
  crypto::Result<crypto::JwsAlg> def = crypto::ParseJwsAlg(realm.settings.default_signing_alg);
  if (!def) {
    return core::ServiceError{core::ServiceErrorCode::kFailedPrecondition,
                              "realm " + realm.name + " has an unsupported default_signing_alg",
                              {}};
  }
  std::vector<crypto::JwsAlg> algs{*def};
  if (*def != crypto::JwsAlg::kRs256) algs.push_back(crypto::JwsAlg::kRs256);
  return algs;
}

const core::SigningKey* KeyStoreOps::Find(const std::vector<core::SigningKey>& keys,
                                          crypto::JwsAlg alg, core::KeyStatus status) {
  for (const core::SigningKey& k : keys) {
    if (k.status == status && k.alg == crypto::JwsAlgName(alg)) return &k;
  }
  return nullptr;
}

std::string KeyStoreOps::SealAad(const std::string& realm_id, const std::string& kid) {
  return "realm:" + realm_id + "/signing-key:" + kid;
}

core::ServiceResult<std::vector<core::SigningKey>> KeyStoreOps::List() {
  auto keys = tx_.keys().List(realm_id_);
  if (!keys) return Map(keys.error(), "list keys");
  return std::move(*keys);
}

core::ServiceResult<core::SigningKey> KeyStoreOps::Create(crypto::JwsAlg alg,
                                                          core::KeyStatus status) {
  crypto::Result<crypto::SigningKey> generated =
      generate_ ? generate_(alg) : crypto::SigningKey::Generate(alg);
  if (!generated) return FromCrypto(generated.error(), "", "generate key");
  core::SigningKey k;
  k.kid = generated->kid();
  k.realm_id = realm_id_;
  k.alg = std::string(crypto::JwsAlgName(alg));
  k.status = status;
  k.private_key_sealed = kek_.Seal(generated->ToPkcs8Der(), SealAad(realm_id_, k.kid), random_);
  k.public_jwk = generated->public_jwk().ToJson().dump();
  k.created_at = ctx_.now;
  k.activated_at = status == core::KeyStatus::kActive ? ctx_.now : 0;
  if (auto s = tx_.keys().Insert(k); !s) return Map(s.error(), "insert key");
  core::Json details = KeyDetails(k);
  details["status"] = status == core::KeyStatus::kActive ? "active" : "next";
  if (auto s = AppendKeyEvent(tx_, random_, ctx_, realm_id_, "KeyCreated", k.kid, details); !s) {
    return Map(s.error(), "audit KeyCreated");
  }
  return k;
}

core::ServiceStatus KeyStoreOps::UpdateStatus(core::SigningKey key, core::KeyStatus status,
                                              core::UnixMillis expires_at) {
  core::KeyStatus read_status = key.status;
  key.status = status;
  if (status == core::KeyStatus::kActive) key.activated_at = ctx_.now;
  if (status == core::KeyStatus::kRetired) {
    key.retired_at = ctx_.now;
    key.expires_at = expires_at;
  }
  // Conditional on the status this transaction read: a concurrent rotation elsewhere fails here.
  if (auto s = tx_.keys().UpdateIfStatus(key, read_status); !s) return Map(s.error(), "update key");
  return {};
}

core::ServiceStatus KeyStoreOps::Rotate(const std::vector<core::SigningKey>& keys,
                                        crypto::JwsAlg alg, core::UnixMillis retired_expires_at) {
  const core::SigningKey* old_active = Find(keys, alg, core::KeyStatus::kActive);
  const core::SigningKey* next = Find(keys, alg, core::KeyStatus::kNext);
  core::SigningKey new_active;
  if (next) {
    new_active = *next;
    IDM_TRY(UpdateStatus(new_active, core::KeyStatus::kActive, 0));
  } else {
    IDM_ASSIGN_OR_RETURN(new_active, Create(alg, core::KeyStatus::kActive));
  }
  core::Json details = KeyDetails(new_active);
  details["previous_kid"] = old_active ? old_active->kid : "";
  if (auto s = AppendKeyEvent(tx_, random_, ctx_, realm_id_, "KeyRotated", new_active.kid, details);
      !s) {
    return Map(s.error(), "audit KeyRotated");
  }
  if (old_active) {
    IDM_TRY(UpdateStatus(*old_active, core::KeyStatus::kRetired, retired_expires_at));
    core::Json d = KeyDetails(*old_active);
    d["expires_at"] = retired_expires_at;
    if (auto s = AppendKeyEvent(tx_, random_, ctx_, realm_id_, "KeyRetired", old_active->kid, d);
        !s) {
      return Map(s.error(), "audit KeyRetired");
    }
  }
  IDM_ASSIGN_OR_RETURN(core::SigningKey ignored, Create(alg, core::KeyStatus::kNext));
  (void)ignored;
  return {};
}

core::ServiceStatus KeyStoreOps::Delete(const core::SigningKey& key) {
  if (auto s = tx_.keys().Delete(realm_id_, key.kid); !s) return Map(s.error(), "delete key");
  if (auto s =
          AppendKeyEvent(tx_, random_, ctx_, realm_id_, "KeyDeleted", key.kid, KeyDetails(key));
      !s) {
    return Map(s.error(), "audit KeyDeleted");
  }
  return {};
}

core::ServiceResult<std::shared_ptr<const RealmKeys>> KeyStoreOps::Snapshot(
    const crypto::Kek& kek, const std::string& realm_id, std::vector<core::SigningKey> rows) {
  auto keys = std::make_shared<RealmKeys>();
  keys->realm_id = realm_id;
  for (core::SigningKey& row : rows) {
    crypto::Result<crypto::JwsAlg> alg = crypto::ParseJwsAlg(row.alg);
    if (!alg) return FromCrypto(alg.error(), row.kid, "stored alg");
    core::Json jwk_json = core::Json::parse(row.public_jwk, nullptr, false);
    crypto::Result<crypto::Jwk> jwk = crypto::Jwk::FromJson(jwk_json);
    if (!jwk) return FromCrypto(jwk.error(), row.kid, "stored public JWK");
    keys->published.Add(std::move(*jwk));
    if (row.status == core::KeyStatus::kActive) {
      crypto::Result<std::string> der =
          kek.Open(row.private_key_sealed, SealAad(realm_id, row.kid));
      if (!der) return FromCrypto(der.error(), row.kid, "open sealed private key");
      crypto::Result<crypto::SigningKey> key = crypto::SigningKey::FromPkcs8Der(
          *der, *alg, row.kid, crypto::SigningKey::Origin::kSealedByIdm);
      if (!key) return FromCrypto(key.error(), row.kid, "load private key");
      keys->active.push_back(std::move(*key));
    }
    row.private_key_sealed.clear();
    keys->records.push_back(std::move(row));
  }
  keys->jwks_json = keys->published.ToJson().dump();
  return std::shared_ptr<const RealmKeys>(std::move(keys));
}

}  // namespace idm::oauth
