// Factories of the two SQL drivers; store::Open (idm/store/open.cc) picks one by URL.
#pragma once

#include <memory>
#include <string>

#include "idm/store/sql/connection.h"
#include "idm/store/store.h"

namespace idm::store::sql {

// path: a file name (created if absent). Opens one writer connection, and up to options.pool_size
// reader connections as concurrent reads need them, in WAL mode with foreign keys on and a busy timeout. kCorrupt if the file is not a
// SQLite database (checked before anything is written), kUnavailable if it cannot be opened or
// (unless options.read_only) is not writable.
Result<std::unique_ptr<Driver>> OpenSqliteDriver(const std::string& path, const OpenOptions& options);

// url: a libpq connection URI (postgresql://user:pass@host:port/db?...). Keeps up to
// options.pool_size connections; a connection that fails is replaced on the next Acquire, so the
// store recovers by itself when the server comes back. kUnavailable if the first connection fails.
Result<std::unique_ptr<Driver>> OpenPostgresDriver(const std::string& url, const OpenOptions& options);

}  // namespace idm::store::sql
