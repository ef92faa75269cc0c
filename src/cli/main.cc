// ziti-backup entry point: builds the real Env and Clock (the only place that
// does), dispatches to one subcommand, and maps its Status to the exit code.
#include <iostream>

#include "cli/command.h"

namespace zb::cli {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
      return 2;
    case Code::kCorruption:
      return 3;
    case Code::kBusy:
      return 4;
    case Code::kNotFound:
    case Code::kIOError:
    case Code::kTimeout:
    case Code::kAborted:
      return 1;
  }
  return 1;
}

namespace {

int Main(int argc, char** argv) {
  auto env = NewPosixEnv();
  auto clock = NewSystemClock();
  CommandContext ctx{*env, *clock, std::cout, std::cerr, Status::OK()};

  CLI::App app{"ziti-backup: consistent, verified backups of bbolt databases (OpenZiti controller)",
               "ziti-backup"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every command");
  app.footer(
      "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error,\n"
      "3 verification failed, 4 busy (lock held, DB in use), 5 partial.\n"
      "Run 'ziti-backup COMMAND --help' for a command's options.");
  RegisterBackup(app, ctx);
  RegisterList(app, ctx);
  RegisterVerify(app, ctx);
  RegisterRestore(app, ctx);
  RegisterPrune(app, ctx);
  RegisterSnapshot(app, ctx);
  RegisterCheck(app, ctx);
  RegisterInspect(app, ctx);
  RegisterVersion(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e, std::cout, std::cerr);
    return 2;  // usage error, whatever CLI11's own code
  }
  if (!ctx.result.ok()) std::cerr << "ziti-backup: " << ctx.result.ToString() << "\n";
  if (ctx.exit_override >= 0) return ctx.exit_override;
  return ExitCodeFor(ctx.result);
}

}  // namespace
}  // namespace zb::cli

int main(int argc, char** argv) { return zb::cli::Main(argc, argv); }
