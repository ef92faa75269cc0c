#include "cli/command.h"

namespace zb::cli {

void RegisterInspect(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("inspect", "(not yet implemented)");
  cmd->callback([&ctx] { ctx.result = Status::Aborted("inspect is not implemented yet"); });
}

}  // namespace zb::cli
