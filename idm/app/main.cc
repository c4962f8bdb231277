// The idm binary: see idm/app/cli.h for the subcommands.
#include "idm/app/cli.h"

int main(int argc, char** argv) { return idm::app::RunCli(argc, argv); }
