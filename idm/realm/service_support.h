// Plumbing shared by the domain services (idm/realm, idm/account, idm/rbac and other services
// that write audit events, e.g. oauth's key service): mapping store errors to core::ServiceError
// once, opening and committing a transaction, resolving a realm by name, and building the audit
// event that every mutating call writes in the same transaction as its change
// (ARCHITECTURE.md decision 6, catalogue in docs/security/events.md).
//
// Thread-safety: free functions without shared state.
#pragma once

#include <memory>
#include <string>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::realm {

// The one mapping of store errors: kNotFound -> kNotFound, kConflict -> kAlreadyExists,
// kVersionMismatch -> kPreconditionFailed, kUnavailable -> kUnavailable, anything else ->
// kInternal. `what` names the object for the caller ("user", "client"); the store's message (which
// may name tables) goes to the log only, never into the returned detail.
core::ServiceError FromStoreError(const store::Error& error, const std::string& what);

// Begins a transaction; kUnavailable (or kInternal) mapped as above.
core::ServiceResult<std::unique_ptr<store::Transaction>> BeginTx(store::Store& store,
                                                                 store::TxMode mode);
// Commits; a serialisation conflict maps to kUnavailable (the caller may retry the request).
core::ServiceStatus CommitTx(store::Transaction& tx);

// The realm named `name`, read in tx. kNotFound ("realm not found") if there is none.
core::ServiceResult<core::Realm> ResolveRealm(store::Transaction& tx, const std::string& name);

// The user `user_id` of realm_id, read in tx. kNotFound ("user not found") if there is none.
core::ServiceResult<core::User> GetUser(store::Transaction& tx, const std::string& realm_id,
                                        const std::string& user_id);

// An audit event of `type` with a new time-ordered id (core::NewTimeOrderedUuid) about
// (resource_type, resource_id) in realm_id, stamped with the actor ("system" if ctx has none),
// client address, request id and time of ctx: every audit event idm writes is made here.
// `details` must be a JSON object and must never hold secrets or password hashes.
core::AuditEvent MakeAuditEvent(const core::OpContext& ctx, core::Random& random,
                                const std::string& realm_id, const std::string& type,
                                const std::string& resource_type, const std::string& resource_id,
                                const core::Json& details);

// Appends MakeAuditEvent(...) to the realm's chain in tx. Store failures mapped as above.
core::ServiceStatus WriteAuditEvent(store::Transaction& tx, const core::OpContext& ctx,
                                    core::Random& random, const std::string& realm_id,
                                    const std::string& type, const std::string& resource_type,
                                    const std::string& resource_id, const core::Json& details);

// Writes an error record to the server log (core::log) about an unexpected failure; never pass
// secrets.
void LogServiceFailure(const std::string& what, const std::string& message);

}  // namespace idm::realm
