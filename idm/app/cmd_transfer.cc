// `idm export --realm R [--out FILE]`, `idm import FILE`, `idm migrate`, `idm audit verify`.
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

int Verify(Runtime& rt, const std::string& realm) {
  std::vector<realm::ChainReport> reports;
  if (realm.empty()) {
    auto all = rt.audit().VerifyAll();
    if (!all) return ReportError(all.error());
    reports = std::move(all).value();
  } else {
    auto one = rt.audit().Verify(realm);
    if (!one) return ReportError(one.error());
    reports.push_back(std::move(one).value());
  }
  bool ok = true;
  core::Json out = core::Json::array();
  for (const realm::ChainReport& r : reports) {
    ok = ok && r.ok;
    out.push_back(core::Json{{"realm", r.realm},
                             {"ok", r.ok},
                             {"events_checked", r.events_checked},
                             {"first_bad_seq", r.first_bad_seq},
                             {"reason", r.reason}});
  }
  PrintJson(out);
  if (!ok) std::cerr << "idm: audit chain verification FAILED\n";
  return ok ? kExitOk : kExitFailure;
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

  CLI::App* audit = app.add_subcommand("audit", "Audit trail tools");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "Recompute the hash chain of the audit trail; exit 1 if any link is broken");
  verify->add_option("--realm,-r", *realm, "Only this realm (default: every realm)");
  verify->callback([&ctx, &result, realm] {
    RunWithRuntime(ctx, result, true, [realm](Runtime& rt) { return Verify(rt, *realm); });
  });
}

}  // namespace idm::app
