// The KEK check (ARCHITECTURE.md decision 4): the database keeps crypto::Kek::MakeCheck() of the
// KEK it was first used with in meta row "kek_check". A server given another KEK would seal new
// keys that no other node can open and fail to open the existing ones, so it must refuse to start
// before writing anything. This is the read-only half, run before migrations (so a wrong KEK
// changes nothing, not even the schema); oauth::KeyService::VerifyKek records the check on a new
// database once the schema exists.
//
// Thread-safety: free functions; call during start-up.
#pragma once

#include <string>

#include "idm/core/result.h"
#include "idm/crypto/kek.h"
#include "idm/store/store.h"

namespace idm::app {

enum class KekCheck { kMatches, kAbsent, kMismatch };

// Reads the stored check in a read-only transaction. A database without the meta table yet (never
// migrated) counts as kAbsent. Errors: the store's message.
core::Result<KekCheck, std::string> ReadKekCheck(store::Store& store, const crypto::Kek& kek);

}  // namespace idm::app
