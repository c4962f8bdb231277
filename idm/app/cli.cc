#include "idm/app/cli.h"

#include <iostream>

namespace idm::app {

int RunCli(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::cerr << "idm: no subcommands yet\n";
  return 2;
}

}  // namespace idm::app
