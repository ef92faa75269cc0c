#include "cli/command.h"

namespace zb::cli {

void RegisterCheck(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("check", "(not yet implemented)");
  cmd->callback([&ctx] { ctx.result = Status::Aborted("check is not implemented yet"); });
}

}  // namespace zb::cli
