#include "cli/command.h"

namespace zb::cli {

void RegisterSnapshot(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("snapshot", "(not yet implemented)");
  cmd->callback([&ctx] { ctx.result = Status::Aborted("snapshot is not implemented yet"); });
}

}  // namespace zb::cli
