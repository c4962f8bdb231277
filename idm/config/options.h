// The option table: every configuration option of idm, once — its name, where it can be set (TOML
// key, IDM_* environment variable, command-line flag), its type, default and the reason for that
// default. The loader (loader.h), the CLI flags (idm/app) and docs/configuration.md
// (reference.h) are all generated from it, so they cannot disagree (CONVENTIONS.md §15).
//
// Thread-safety: the table is immutable static data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "idm/config/config.h"

namespace idm::config {

enum class OptionType { kString, kInt, kEnum, kPath };

struct Option {
  std::string_view name;         // stable identifier, e.g. "listen"
  std::string_view toml_key;     // dotted key, e.g. "server.listen"; "" = not settable in TOML
  std::string_view env;          // e.g. "IDM_LISTEN"
  std::string_view flag;         // long flag without dashes, e.g. "listen"; "" = no flag
  OptionType type = OptionType::kString;
  std::string_view default_text; // as shown in the docs; "" = empty/unset
  std::string_view description;  // what it does and why the default is what it is
  std::variant<std::string Config::*, int64_t Config::*> field;
  int64_t min = 0;               // kInt bounds, inclusive
  int64_t max = 0;
  std::vector<std::string_view> allowed;  // kEnum values
  bool secret = false;           // never in TOML, flags, logs or error messages
  bool derived = false;          // default_text describes a default computed from other options
};

// Every option, in documentation order.
const std::vector<Option>& Options();

// The option with that TOML key / name, or nullptr.
const Option* FindByTomlKey(std::string_view key);
const Option* FindByName(std::string_view name);

// Config with every default applied. Derived defaults (public_url from listen, db from data_dir)
// are filled in by FinishDefaults once everything else is known.
Config Defaults();
void FinishDefaults(Config& config);

}  // namespace idm::config
