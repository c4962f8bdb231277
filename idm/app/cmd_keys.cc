// `idm keys rotate --realm R [--alg ES256]`: rotates a realm's signing keys (ARCHITECTURE.md
// decision 5) with the KEK of the configuration.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "idm/app/cli_support.h"

#include "idm/app/kek_loader.h"
#include "idm/core/clock.h"
#include "idm/oauth/keys/key_service.h"

namespace idm::app {
namespace {

struct KeysArgs {
  std::string realm;
  std::string alg;
};

int Rotate(Runtime& rt, const KeysArgs& a) {
  auto kek = LoadKek(rt.config(), rt.random(), /*allow_generate=*/false);
  if (!kek) {
    std::cerr << "idm: " << kek.error() << "\n";
    return kExitFailure;
  }
  core::SystemClock clock;
  oauth::KeyService keys(rt.store(), *kek->kek, rt.random(), clock);
  if (auto ok = keys.VerifyKek(); !ok) return ReportError(ok.error());
  auto realm = rt.realms().Get(a.realm);
  if (!realm) return ReportError(realm.error());
  std::string alg = a.alg.empty() ? realm->settings.default_signing_alg : a.alg;
  auto rotated = keys.Rotate(rt.CliContext(), *realm, alg);
  if (!rotated) return ReportError(rotated.error());
  std::cout << "idm: rotated the " << alg << " keys of realm " << a.realm << "\n";
  return kExitOk;
}

}  // namespace

void AddKeysCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  CLI::App* keys = app.add_subcommand("keys", "Signing keys of a realm");
  keys->require_subcommand(1);
  auto a = std::make_shared<KeysArgs>();
  CLI::App* rotate = keys->add_subcommand(
      "rotate", "Activate the published next key, publish a new next key, retire the old one");
  rotate->add_option("--realm,-r", a->realm, "Realm name")->required();
  rotate->add_option("--alg", a->alg, "ES256, RS256, PS256 or EdDSA (default: the realm's)");
  rotate->callback([&ctx, &result, a] {
    RunWithRuntime(ctx, result, false, [a](Runtime& rt) { return Rotate(rt, *a); });
  });
}

}  // namespace idm::app
