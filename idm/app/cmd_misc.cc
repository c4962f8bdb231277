// `idm version` and `idm config reference`.
#include <CLI/CLI.hpp>

#include <iostream>

#include "idm/app/commands.h"
#include "idm/app/server_main.h"
#include "idm/config/reference.h"

namespace idm::app {

void AddVersionCommand(CLI::App& app, CommandResult& result) {
  CLI::App* cmd = app.add_subcommand("version", "Print the idm version and exit");
  cmd->callback([&result] {
    std::cout << "idm " << IDM_VERSION << "\n";
    result.code = kExitOk;
  });
}

void AddServeCommand(CLI::App& app, CliContext& ctx, CommandResult& result) {
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the server: migrate, bootstrap on first start, serve HTTP until SIGTERM/SIGINT");
  serve->callback([&ctx, &result] { result.run_after_parse = [&ctx] { return Serve(ctx); }; });
}

void AddConfigCommands(CLI::App& app, CommandResult& result) {
  CLI::App* cfg = app.add_subcommand("config", "Configuration helpers");
  cfg->require_subcommand(1);
  CLI::App* ref = cfg->add_subcommand(
      "reference", "Print the configuration reference (Markdown; the source of docs/configuration.md)");
  ref->callback([&result] {
    std::cout << config::RenderReference();
    result.code = kExitOk;
  });
}

}  // namespace idm::app
