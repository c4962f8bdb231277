// Small helpers shared by the user grants and the introspection / revocation endpoints: the
// invalid_grant error, store errors mapped once to oauth::Error, transactions, and the user a
// token speaks for.
//
// Thread-safety: free functions; a Transaction belongs to the caller's thread.
#pragma once

#include <memory>
#include <string>

#include "idm/core/model.h"
#include "idm/oauth/error.h"
#include "idm/store/store.h"

namespace idm::oauth {

// RFC 6749 §5.2 invalid_grant.
inline Error InvalidGrant(std::string d) { return {ErrorCode::kInvalidGrant, std::move(d), false}; }

// A store failure as temporarily_unavailable (kUnavailable, kConflict: retry) or server_error;
// the store's message goes to the log only.
Error StoreFailure(const store::Error& error, const char* what);

Result<std::unique_ptr<store::Transaction>> BeginWrite(store::Store& store);
Result<std::unique_ptr<store::Transaction>> BeginRead(store::Store& store);
Status CommitOrFail(store::Transaction& tx);

// True when grant_type is one of the client's grant_types.
bool ClientHasGrant(const core::Client& client, std::string_view grant_type);

// The user a code or refresh token was issued to; invalid_grant when deleted or disabled (the
// grant no longer stands, RFC 6749 §5.2).
Result<core::User> LoadActiveUser(store::Transaction& tx, const std::string& realm_id,
                                  const std::string& user_id);

}  // namespace idm::oauth
