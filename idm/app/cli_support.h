// Helpers the CLI subcommands share: running a command body against an opened Runtime, printing
// results as JSON, reporting service errors, reading a secret from stdin, and resolving the
// human names the CLI accepts (usernames, client ids, group paths, role names) to ids.
//
// Thread-safety: main thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "idm/app/cli_context.h"
#include "idm/app/commands.h"
#include "idm/app/runtime.h"
#include "idm/core/json.h"
#include "idm/core/service_error.h"

namespace idm::app {

// Loads the configuration, opens a Runtime (migrating unless read_only) and runs body with it;
// stores body's exit code in result. Configuration errors exit 2, database errors 1, each with
// one line on stderr.
void RunWithRuntime(const CliContext& ctx, CommandResult& result, bool read_only,
                    const std::function<int(Runtime&)>& body);

// Prints "idm: <detail>" and each field violation to stderr; returns kExitFailure.
int ReportError(const core::ServiceError& error);
// Prints j (indented) to stdout; returns kExitOk.
int PrintJson(const core::Json& j);

// One line from stdin without its newline (for --password-stdin); nullopt at end of input.
std::optional<std::string> ReadSecretLine();

// Name -> object lookups; kNotFound with a message naming what was not found.
core::ServiceResult<core::User> FindUser(Runtime& rt, const std::string& realm,
                                         const std::string& username);
core::ServiceResult<core::Client> FindClient(Runtime& rt, const std::string& realm,
                                             const std::string& client_id);
// A group by path: "/parent/child" (or "parent/child") walks names from the top level.
core::ServiceResult<core::Group> FindGroup(Runtime& rt, const std::string& realm,
                                           const std::string& path);
// A realm role, or a role of the client whose OAuth client_id is `client` (when not empty).
core::ServiceResult<core::Role> FindRole(Runtime& rt, const std::string& realm,
                                         const std::string& client, const std::string& name);

}  // namespace idm::app
