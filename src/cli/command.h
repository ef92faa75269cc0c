// What every command gets from main.cc: the real Env and Clock and the output
// streams. Each cmd_<name>.cc registers one CLI11 subcommand whose callback
// stores the command's Status in `result`; main.cc turns it into the exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "base/status.h"
#include "env/clock.h"
#include "env/env.h"

namespace zb::cli {

struct CommandContext {
  Env& env;
  Clock& clock;
  std::ostream& out;  // for people (or --json for machines)
  std::ostream& err;  // logs and errors
  Status result;      // set by the command that ran
  // Set when the outcome has no Status code of its own: 5 = partial (some
  // targets failed, others took the backup).
  int exit_override = -1;
};

void RegisterVersion(CLI::App& app, CommandContext& ctx);
void RegisterKeygen(CLI::App& app, CommandContext& ctx);
// "ziti-backup 1.2.3": what `version` and `--version` print.
std::string VersionLine();
void RegisterCheck(CLI::App& app, CommandContext& ctx);
void RegisterInspect(CLI::App& app, CommandContext& ctx);
void RegisterSnapshot(CLI::App& app, CommandContext& ctx);
void RegisterBackup(CLI::App& app, CommandContext& ctx);
void RegisterList(CLI::App& app, CommandContext& ctx);
void RegisterVerify(CLI::App& app, CommandContext& ctx);
void RegisterRestore(CLI::App& app, CommandContext& ctx);
void RegisterPrune(CLI::App& app, CommandContext& ctx);
void RegisterCopy(CLI::App& app, CommandContext& ctx);
void RegisterDaemon(CLI::App& app, CommandContext& ctx);
void RegisterStatus(CLI::App& app, CommandContext& ctx);

// A string option that also reads its environment variable and shows its
// default in --help: how every ZITI_CTRL_BACKUP_* setting is declared.
inline void AddEnvOption(CLI::App* cmd, const char* flag, std::string& field, const char* env,
                         const char* help) {
  cmd->add_option(flag, field, help)->envname(env)->capture_default_str();
}

// The exit code for a command's outcome (spec §2): 0 ok, 1 runtime failure,
// 2 usage or configuration, 3 verification failed, 4 busy.
int ExitCodeFor(const Status& s);

}  // namespace zb::cli
