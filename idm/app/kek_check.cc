#include "idm/app/kek_check.h"

namespace idm::app {

core::Result<KekCheck, std::string> ReadKekCheck(store::Store& store, const crypto::Kek& kek) {
  auto version = store.SchemaVersion();
  if (!version) return core::Err(version.error().message);
  if (*version == 0) return KekCheck::kAbsent;
  auto tx = store.Begin(store::TxMode::kReadOnly);
  if (!tx) return core::Err(tx.error().message);
  auto stored = (*tx)->meta().Get(kKekCheckKey);
  if (!stored) {
    if (stored.error().code == store::ErrorCode::kNotFound) return KekCheck::kAbsent;
    return core::Err(stored.error().message);
  }
  return kek.MatchesCheck(*stored) ? KekCheck::kMatches : KekCheck::kMismatch;
}

core::Result<void, std::string> EnsureKekCheck(store::Store& store, const crypto::Kek& kek) {
  auto tx = store.Begin(store::TxMode::kReadWrite);
  if (!tx) return core::Err(tx.error().message);
  auto stored = (*tx)->meta().Get(kKekCheckKey);
  if (stored) {
    if (kek.MatchesCheck(*stored)) return {};
    return core::Err(std::string("the KEK does not match this database"));
  }
  if (stored.error().code != store::ErrorCode::kNotFound) return core::Err(stored.error().message);
  auto put = (*tx)->meta().Put(kKekCheckKey, kek.MakeCheck());
  if (!put) return core::Err(put.error().message);
  auto committed = (*tx)->Commit();
  if (!committed) return core::Err(committed.error().message);
  return {};
}

}  // namespace idm::app
