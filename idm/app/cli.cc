#include "idm/app/cli.h"

#include <CLI/CLI.hpp>

#include "idm/app/cli_context.h"
#include "idm/app/commands.h"

namespace idm::app {

namespace {

// Parses the command line and runs the chosen command, except one that asked to run after the
// parser is gone (CommandResult::run_after_parse).
int ParseAndRun(int argc, char** argv, CliContext& ctx, CommandResult& result) {
  CLI::App app{"idm — identity provider (OAuth 2.0 / OpenID Connect, SSO, admin API).\n"
               "Configuration: defaults < --config FILE < IDM_* environment < flags "
               "(docs/configuration.md)."};
  app.name("idm");
  app.require_subcommand(1);
  app.fallthrough();  // configuration flags may follow the subcommand: `idm serve --listen ...`
  AddConfigFlags(app, ctx);
  AddVersionCommand(app, result);
  AddConfigCommands(app, result);
  AddServeCommand(app, ctx, result);
  AddRealmCommands(app, ctx, result);
  AddUserCommands(app, ctx, result);
  AddGroupCommands(app, ctx, result);
  AddRoleCommands(app, ctx, result);
  AddClientCommands(app, ctx, result);
  AddTransferCommands(app, ctx, result);
  AddAuditCommands(app, ctx, result);
  AddKeysCommands(app, ctx, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return result.code;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CliContext ctx;
  CommandResult result;
  const int code = ParseAndRun(argc, argv, ctx, result);
  if (code != kExitOk || !result.run_after_parse) return code;
  return result.run_after_parse();
}

}  // namespace idm::app
