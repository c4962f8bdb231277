// Loads the configuration: table defaults < TOML file < IDM_* environment < command-line flags
// (ARCHITECTURE.md decision 9), then checks the options against each other.
//
// Thread-safety: Load is a pure function of its input. EnvironmentFromProcess reads `environ` and
// must not race with setenv.
#pragma once

#include <map>
#include <string>

#include "idm/config/config.h"
#include "idm/core/result.h"

namespace idm::config {

struct ConfigError {
  std::string message;  // names the source (file:line, variable or flag) and the option; no secrets
};

struct Sources {
  std::string config_file;                    // "" = no file
  std::map<std::string, std::string> env;     // variable -> value (only IDM_* are looked at)
  std::map<std::string, std::string> flags;   // option name (Option::name) -> value
};

// The merged configuration. Fails (and the CLI exits 2) on: an unreadable or malformed TOML file,
// an unknown TOML key, a value of the wrong type or out of range in any source, a secret option
// in the file, TLS cert without key (or the reverse), an unparsable listen address, a public URL
// that is not http(s), an unknown database scheme, both IDM_KEK and a kek file given, or a
// bootstrap client id without its secret (or the reverse).
core::Result<Config, ConfigError> Load(const Sources& sources);

// The process's IDM_* environment variables.
std::map<std::string, std::string> EnvironmentFromProcess();

}  // namespace idm::config
