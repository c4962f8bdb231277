// Realm export and import (`idm export`, `idm import`): one realm with its settings, users (with
// their Argon2id password hashes — PHC strings carry their parameters, so they verify anywhere),
// groups, realm and client roles, composite edges, role mappings, group memberships and clients
// (with secret hashes), and the realm's SMTP settings without their password (set it again after
// an import; a file that carries one is refused). Never exported: secrets in clear (none are
// stored; the SMTP password is sealed under this installation's KEK), signing keys (the
// target generates its own under its own KEK: tokens signed by the source stop verifying, which is
// what a move between installations should do), audit history (it belongs to the source).
//
// Object ids are kept, so `sub` claims and references stay stable across a move (e.g. SQLite to
// PostgreSQL). Both directions work on the store directly, in ONE transaction: an import creates
// all of the realm or nothing. Import writes a single RealmImported audit event in the new realm.
//
// Thread-safety: free functions; each runs its own transaction.
#pragma once

#include <string>

#include "idm/core/json.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/result.h"
#include "idm/store/store.h"

namespace idm::app {

inline constexpr char kExportFormat[] = "idm-realm-export";
inline constexpr int kExportVersion = 1;

enum class TransferErrorCode {
  kNotFound,       // export: no such realm
  kAlreadyExists,  // import: the realm name (or an object id) is already taken
  kInvalid,        // import: the document is not a valid export
  kUnavailable,    // the database cannot be reached
  kInternal,       // corrupt data or a bug; message has details for the operator
};

struct TransferError {
  TransferErrorCode code = TransferErrorCode::kInternal;
  std::string message;
};

struct ImportSummary {
  std::string realm;
  int64_t users = 0, groups = 0, roles = 0, clients = 0;
};

// The export document of realm `name` (read in one read-only transaction).
core::Result<core::Json, TransferError> ExportRealm(store::Store& store, const std::string& name);

// Creates the realm described by `doc`. kAlreadyExists if a realm of that name exists (nothing
// is written), kInvalid for a document of another format/version or with missing/mistyped fields.
core::Result<ImportSummary, TransferError> ImportRealm(store::Store& store, const core::Json& doc,
                                                       const core::OpContext& ctx,
                                                       core::Random& random);

}  // namespace idm::app
