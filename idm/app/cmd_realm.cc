// `idm realm create|list|get|update|delete`.
#include <CLI/CLI.hpp>

#include <memory>

#include "idm/app/cli_support.h"
#include "idm/app/model_json.h"

namespace idm::app {
namespace {

struct RealmArgs {
  std::string name;
  std::string display_name;
  std::optional<bool> enabled;
  std::optional<int64_t> access_token_ttl_s;
  std::optional<int> password_min_length;
};

void AddSettingFlags(CLI::App* cmd, RealmArgs& a) {
  cmd->add_option("--display-name", a.display_name, "Human-readable name");
  cmd->add_option("--enabled", a.enabled, "true or false: a disabled realm issues no tokens");
  cmd->add_option("--access-token-ttl", a.access_token_ttl_s, "Access token lifetime, seconds");
  cmd->add_option("--password-min-length", a.password_min_length, "Minimum password length");
}

void ApplySettings(const RealmArgs& a, core::Realm& r) {
  if (!a.display_name.empty()) r.display_name = a.display_name;
  if (a.enabled) r.enabled = *a.enabled;
  if (a.access_token_ttl_s) r.settings.access_token_ttl_s = *a.access_token_ttl_s;
  if (a.password_min_length) r.settings.password_policy.min_length = *a.password_min_length;
}

}  // namespace

void AddRealmCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  CLI::App* realm = app.add_subcommand("realm", "Create, list, show, change and delete realms");
  realm->require_subcommand(1);
  auto a = std::make_shared<RealmArgs>();

  CLI::App* create = realm->add_subcommand("create", "Create a realm (prints it as JSON)");
  create->add_option("name", a->name, "Realm name: [a-z0-9][a-z0-9_-]{0,63}")->required();
  AddSettingFlags(create, *a);
  create->callback([&ctx, &result, a] {
    RunWithRuntime(ctx, result, false, [a](Runtime& rt) {
      core::Realm draft;
      draft.name = a->name;
      ApplySettings(*a, draft);
      auto r = rt.realms().Create(rt.CliContext(), draft);
      return r ? PrintJson(ToJson(*r)) : ReportError(r.error());
    });
  });

  CLI::App* list = realm->add_subcommand("list", "List every realm (JSON array)");
  list->callback([&ctx, &result] {
    RunWithRuntime(ctx, result, false, [](Runtime& rt) {
      auto r = rt.realms().List();
      if (!r) return ReportError(r.error());
      core::Json out = core::Json::array();
      for (const core::Realm& realm : *r) out.push_back(ToJson(realm));
      return PrintJson(out);
    });
  });

  CLI::App* get = realm->add_subcommand("get", "Show one realm");
  get->add_option("name", a->name, "Realm name")->required();
  get->callback([&ctx, &result, a] {
    RunWithRuntime(ctx, result, false, [a](Runtime& rt) {
      auto r = rt.realms().Get(a->name);
      return r ? PrintJson(ToJson(*r)) : ReportError(r.error());
    });
  });

  CLI::App* update = realm->add_subcommand("update", "Change a realm's display name or settings");
  update->add_option("name", a->name, "Realm name")->required();
  AddSettingFlags(update, *a);
  update->callback([&ctx, &result, a] {
    RunWithRuntime(ctx, result, false, [a](Runtime& rt) {
      auto current = rt.realms().Get(a->name);
      if (!current) return ReportError(current.error());
      core::Realm changes = *current;
      ApplySettings(*a, changes);
      auto r = rt.realms().Update(rt.CliContext(), a->name, changes, current->version);
      return r ? PrintJson(ToJson(*r)) : ReportError(r.error());
    });
  });

  CLI::App* del = realm->add_subcommand("delete", "Delete a realm and everything in it");
  del->add_option("name", a->name, "Realm name")->required();
  del->callback([&ctx, &result, a] {
    RunWithRuntime(ctx, result, false, [a](Runtime& rt) {
      auto r = rt.realms().Delete(rt.CliContext(), a->name);
      return r ? kExitOk : ReportError(r.error());
    });
  });
}

}  // namespace idm::app
