// The subcommand groups of the idm CLI. Each Add*Commands function registers one group (one
// cmd_*.cc file) on the root CLI11 app; the callbacks run the command and store its exit code in
// `result`. Commands that touch data call the domain services directly with actor "cli".
//
// Thread-safety: main thread only.
#pragma once

#include <functional>

#include "idm/app/cli_context.h"

namespace CLI {
class App;
}

namespace idm::app {

struct CommandResult {
  int code = kExitOk;
  // A long-running command (`serve`) sets this instead of running in its callback: RunCli calls
  // it once the parser is destroyed, so the server does not hold the option tables (~150 KiB of
  // heap) for its whole life. Its return value is the exit code.
  std::function<int()> run_after_parse;
};

void AddVersionCommand(CLI::App& app, CommandResult& result);
void AddConfigCommands(CLI::App& app, CommandResult& result);
void AddServeCommand(CLI::App& app, CliContext& ctx, CommandResult& result);
void AddRealmCommands(CLI::App& app, CliContext& ctx, CommandResult& result);
void AddUserCommands(CLI::App& app, CliContext& ctx, CommandResult& result);
void AddGroupCommands(CLI::App& app, CliContext& ctx, CommandResult& result);
void AddRoleCommands(CLI::App& app, CliContext& ctx, CommandResult& result);
void AddClientCommands(CLI::App& app, CliContext& ctx, CommandResult& result);
// export, import, migrate.
void AddTransferCommands(CLI::App& app, CliContext& ctx, CommandResult& result);
void AddAuditCommands(CLI::App& app, CliContext& ctx, CommandResult& result);
// `idm keys rotate`; adds nothing until the key service (idm/oauth) is in the tree.
void AddKeysCommands(CLI::App& app, CliContext& ctx, CommandResult& result);

}  // namespace idm::app
