#include <ostream>
#include <string>

#include "cli/command.h"

#ifndef ZB_VERSION
#define ZB_VERSION "dev"
#endif

namespace zb::cli {

std::string VersionLine() { return std::string("ziti-backup ") + ZB_VERSION; }

void RegisterVersion(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("version", "Print the version of ziti-backup");
  cmd->callback([&ctx] { ctx.out << VersionLine() << "\n"; });
}

}  // namespace zb::cli
