#include "idm/app/cli_context.h"

#include <CLI/CLI.hpp>

#include <ostream>

#include "idm/config/loader.h"
#include "idm/config/options.h"

namespace idm::app {

core::Result<config::Config, int> CliContext::LoadConfig(std::ostream& err) const {
  config::Sources sources{config_file, config::EnvironmentFromProcess(), flags};
  auto c = config::Load(sources);
  if (!c) {
    err << "idm: configuration: " << c.error().message << "\n";
    return core::Err(kExitUsage);
  }
  return std::move(c).value();
}

void AddConfigFlags(CLI::App& app, CliContext& ctx) {
  app.add_option("--config", ctx.config_file, "TOML configuration file (see docs/configuration.md)")
      ->group("Configuration");
  for (const config::Option& o : config::Options()) {
    if (o.flag.empty()) continue;
    std::string name(o.name);
    std::string first(o.description.substr(0, o.description.find(". ")));
    if (!first.empty() && first.back() == '.') first.pop_back();
    std::string help = first + ". Env " + std::string(o.env) +
                       (o.default_text.empty() ? "" : ", default " + std::string(o.default_text));
    app.add_option_function<std::string>(
           "--" + std::string(o.flag),
           [&ctx, name](const std::string& v) { ctx.flags[name] = v; }, help)
        ->group("Configuration")
        ->type_name(o.type == config::OptionType::kInt    ? "INT"
                    : o.type == config::OptionType::kPath ? "PATH"
                                                          : "TEXT");
  }
}

}  // namespace idm::app
