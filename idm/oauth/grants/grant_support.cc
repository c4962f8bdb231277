#include "idm/oauth/grants/grant_support.h"

#include <algorithm>

#include "idm/oauth/service_error_mapping.h"
#include "idm/realm/service_support.h"

namespace idm::oauth {

Error StoreFailure(const store::Error& error, const char* what) {
  return FromServiceError(realm::FromStoreError(error, what), what);
}

Result<std::unique_ptr<store::Transaction>> BeginWrite(store::Store& store) {
  auto tx = realm::BeginTx(store, store::TxMode::kReadWrite);
  if (!tx) return FromServiceError(tx.error(), "begin transaction");
  return std::move(*tx);
}

Result<std::unique_ptr<store::Transaction>> BeginRead(store::Store& store) {
  auto tx = realm::BeginTx(store, store::TxMode::kReadOnly);
  if (!tx) return FromServiceError(tx.error(), "begin transaction");
  return std::move(*tx);
}

Status CommitOrFail(store::Transaction& tx) {
  core::ServiceStatus s = realm::CommitTx(tx);
  if (!s) return FromServiceError(s.error(), "commit");
  return {};
}

bool ClientHasGrant(const core::Client& client, std::string_view grant_type) {
  return std::find(client.grant_types.begin(), client.grant_types.end(), grant_type) !=
         client.grant_types.end();
}

Result<core::User> LoadActiveUser(store::Transaction& tx, const std::string& realm_id,
                                  const std::string& user_id) {
  store::Result<core::User> user = tx.users().Get(realm_id, user_id);
  if (!user) {
    if (user.error().code == store::ErrorCode::kNotFound) {
      return InvalidGrant("the user of this grant no longer exists");
    }
    return StoreFailure(user.error(), "user");
  }
  if (!user->enabled) return InvalidGrant("the user of this grant is disabled");
  return std::move(*user);
}

}  // namespace idm::oauth
