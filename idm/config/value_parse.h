// Parsing one option's value from text (environment variables, flags, table defaults) into a
// Config field, with the option's type and bounds. Internal to idm/config.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <string>

#include "idm/config/options.h"
#include "idm/core/result.h"

namespace idm::config {

// Sets the option's field of `config` from `text`. On failure returns a message naming the option
// and the expected form — never the value of a secret option — and leaves `config` unchanged.
core::Result<void, std::string> ApplyText(const Option& option, const std::string& text,
                                          Config& config);
// Sets an integer option from a number (TOML integers). Fails outside the option's bounds.
core::Result<void, std::string> ApplyInt(const Option& option, int64_t value, Config& config);

}  // namespace idm::config
