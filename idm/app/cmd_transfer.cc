// `idm export --realm R [--out FILE]`, `idm import FILE`, `idm migrate`.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>

#include "idm/app/cli_support.h"
#include "idm/app/realm_transfer.h"

namespace idm::app {
namespace {

int ReportTransfer(const TransferError& e) {
  std::cerr << "idm: " << e.message << "\n";
  return kExitFailure;
}

int Export(Runtime& rt, const std::string& realm, const std::string& out) {
  auto doc = ExportRealm(rt.store(), realm);
  if (!doc) return ReportTransfer(doc.error());
  if (out.empty() || out == "-") return PrintJson(*doc);
  std::ofstream f(out, std::ios::trunc);
  f << doc->dump(2) << "\n";
  f.close();
  if (!f) {
    std::cerr << "idm: cannot write " << out << "\n";
    return kExitFailure;
  }
  std::cerr << "idm: exported realm " << realm << " to " << out << "\n";
  return kExitOk;
}

int Import(Runtime& rt, const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "idm: cannot read " << file << "\n";
    return kExitFailure;
  }
  core::Json doc = core::Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    std::cerr << "idm: " << file << " is not valid JSON\n";
    return kExitFailure;
  }
  auto summary = ImportRealm(rt.store(), doc, rt.CliContext(), rt.random());
  if (!summary) return ReportTransfer(summary.error());
  return PrintJson(core::Json{{"realm", summary->realm},
                              {"users", summary->users},
                              {"groups", summary->groups},
                              {"roles", summary->roles},
                              {"clients", summary->clients}});
}

}  // namespace

void AddTransferCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  auto realm = std::make_shared<std::string>();
  auto path = std::make_shared<std::string>();

  CLI::App* exp = app.add_subcommand(
      "export", "Write a realm as JSON: settings, users with password hashes, groups, roles, "
                "clients with secret hashes (no secrets, no signing keys)");
  exp->add_option("--realm,-r", *realm, "Realm name")->required();
  exp->add_option("--out,-o", *path, "Output file (default: standard output)");
  exp->callback([&ctx, &result, realm, path] {
    RunWithRuntime(ctx, result, false, [realm, path](Runtime& rt) {
      return Export(rt, *realm, *path);
    });
  });

  CLI::App* imp = app.add_subcommand(
      "import", "Create a realm from an `idm export` file (fails if the realm exists)");
  imp->add_option("file", *path, "Export file")->required()->check(CLI::ExistingFile);
  imp->callback([&ctx, &result, path] {
    RunWithRuntime(ctx, result, false, [path](Runtime& rt) { return Import(rt, *path); });
  });

  CLI::App* migrate = app.add_subcommand(
      "migrate", "Apply pending database migrations and exit (`idm serve` also does this)");
  migrate->callback([&ctx, &result] {
    RunWithRuntime(ctx, result, false, [](Runtime& rt) {
      auto v = rt.store().SchemaVersion();
      if (!v) {
        std::cerr << "idm: " << v.error().message << "\n";
        return kExitFailure;
      }
      std::cout << "idm: " << rt.store().backend() << " database at schema version " << *v << "\n";
      return kExitOk;
    });
  });

}

}  // namespace idm::app
