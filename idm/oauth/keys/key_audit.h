// Audit events of KeyService: KeyCreated, KeyRotated, KeyRetired, KeyDeleted, appended in the
// caller's transaction (ARCHITECTURE.md decision 6). Details name the alg and kids, never key
// material.
//
// Thread-safety: free functions using the caller's transaction.
#pragma once

#include <string>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/store/store.h"

namespace idm::oauth {

// Appends one event of `type` about key `kid` of realm_id. Fails as AuditRepo::Append.
store::Status AppendKeyEvent(store::Transaction& tx, core::Random& random,
                             const core::OpContext& ctx, const std::string& realm_id,
                             const std::string& type, const std::string& kid,
                             const core::Json& details);

}  // namespace idm::oauth
