// The configuration reference (docs/configuration.md), generated from the option table so the
// documentation cannot drift from the parser. `idm config reference` prints it; a unit test fails
// when the committed file differs.
//
// Thread-safety: a pure function.
#pragma once

#include <string>

namespace idm::config {

// Markdown: precedence rules, then one section per option with its TOML key, environment
// variable, flag, type, default and description.
std::string RenderReference();

}  // namespace idm::config
