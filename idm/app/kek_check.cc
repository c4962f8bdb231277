#include "idm/app/kek_check.h"

#include "idm/oauth/keys/key_service.h"

namespace idm::app {

core::Result<KekCheck, std::string> ReadKekCheck(store::Store& store, const crypto::Kek& kek) {
  auto version = store.SchemaVersion();
  if (!version) return core::Err(version.error().message);
  if (*version == 0) return KekCheck::kAbsent;
  auto tx = store.Begin(store::TxMode::kReadOnly);
  if (!tx) return core::Err(tx.error().message);
  auto stored = (*tx)->meta().Get(oauth::KeyService::kKekCheckMetaKey);
  if (!stored) {
    if (stored.error().code == store::ErrorCode::kNotFound) return KekCheck::kAbsent;
    return core::Err(stored.error().message);
  }
  return kek.MatchesCheck(*stored) ? KekCheck::kMatches : KekCheck::kMismatch;
}

}  // namespace idm::app
