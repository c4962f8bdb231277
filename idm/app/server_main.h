// `idm serve`: the composition of a running server (ARCHITECTURE.md decision 9). In order:
//   1. configuration (exit 2 on a bad option) and logging;
//   2. the KEK: IDM_KEK or the kek file, generated with mode 0600 on a first start (warning);
//   3. the store: a corrupt or read-only SQLite file, or an unreachable database, stops the start
//      with a clear message and nothing written;
//   4. the KEK check against the database BEFORE any write: a different KEK refuses to start;
//   5. migrations, then the KEK check is recorded on a new database;
//   6. first-start bootstrap (idm/app/bootstrap.h); a generated admin password is printed once;
//   7. signing keys for every realm;
//   8. the HTTP server with the OAuth, admin and operations routes;
//   9. SIGTERM / SIGINT: stop accepting, finish in-flight requests, exit 0.
// Returns the process exit code: 0 after a clean shutdown, 1 when the start failed, 2 for bad
// configuration.
//
// Thread-safety: runs on the main thread; blocks SIGTERM/SIGINT in every thread it starts.
#pragma once

#include "idm/app/cli_context.h"

namespace idm::app {

int Serve(const CliContext& ctx);

}  // namespace idm::app
