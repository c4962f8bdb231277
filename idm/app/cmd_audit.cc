// `idm audit verify [--realm R]`: recomputes the audit hash chains (ARCHITECTURE.md decision 6).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "idm/app/cli_support.h"

namespace idm::app {
namespace {

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

void AddAuditCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  auto realm = std::make_shared<std::string>();
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
