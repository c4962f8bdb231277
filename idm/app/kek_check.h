// The KEK check (ARCHITECTURE.md decision 4): the database keeps crypto::Kek::MakeCheck() of the
// KEK it was first used with in meta row "kek_check". A server given another KEK would seal new
// keys that no other node can open and fail to open the existing ones, so it must refuse to start
// before writing anything.
//
// Thread-safety: free functions; call during start-up.
#pragma once

#include <string>

#include "idm/core/result.h"
#include "idm/crypto/kek.h"
#include "idm/store/store.h"

namespace idm::app {

inline constexpr char kKekCheckKey[] = "kek_check";

enum class KekCheck { kMatches, kAbsent, kMismatch };

// Reads the stored check in a read-only transaction. A database without the meta table yet (never
// migrated) counts as kAbsent. Errors: the store's message.
core::Result<KekCheck, std::string> ReadKekCheck(store::Store& store, const crypto::Kek& kek);
// Stores the check of kek when none is stored (idempotent when it matches; fails on a mismatch).
core::Result<void, std::string> EnsureKekCheck(store::Store& store, const crypto::Kek& kek);

}  // namespace idm::app
