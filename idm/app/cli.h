// The command line of idm: `idm serve`, `idm migrate`, `idm realm|user|group|role|client ...`,
// `idm export`, `idm import`, `idm audit verify`, `idm keys ...`. Parses flags (CLI11) and runs the
// chosen subcommand. Returns the process exit code.
#pragma once

namespace idm::app {

int RunCli(int argc, char** argv);

}  // namespace idm::app
