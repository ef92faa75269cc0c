#include <ostream>

#include "cli/command.h"

#ifndef ZB_VERSION
#define ZB_VERSION "dev"
#endif

namespace zb::cli {

void RegisterVersion(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("version", "Print the version of ziti-backup");
  cmd->callback([&ctx] { ctx.out << "ziti-backup " << ZB_VERSION << "\n"; });
}

}  // namespace zb::cli
