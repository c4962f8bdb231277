// CliContext: what every subcommand of the CLI shares — the --config file and the configuration
// flags given on the command line — and how a subcommand turns them into a Config.
//
// Thread-safety: used by the main thread only.
#pragma once

#include <iosfwd>
#include <map>
#include <string>

#include "idm/config/config.h"
#include "idm/core/result.h"

namespace CLI {
class App;
}

namespace idm::app {

// Exit codes of the idm binary.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;    // the command ran and failed (e.g. not found, database down)
inline constexpr int kExitUsage = 2;      // bad flags or configuration

struct CliContext {
  std::string config_file;
  std::map<std::string, std::string> flags;  // option name -> value, from the config flags

  // Loads the configuration (file, IDM_* environment, flags). On failure prints
  // "idm: configuration: <message>" to `err` and returns the kExitUsage code as the error.
  core::Result<config::Config, int> LoadConfig(std::ostream& err) const;
};

// Adds --config and one flag per configuration option (idm/config/options.h) to `app`; their
// values land in ctx when parsed.
void AddConfigFlags(CLI::App& app, CliContext& ctx);

}  // namespace idm::app
