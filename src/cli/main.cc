// ziti-backup entry point: builds the real Env and Clock (the only place that
// does), dispatches to one subcommand, and maps its Status to the exit code.
#include <cstdlib>
#include <iostream>

#include "app/config_file.h"
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

// The config file named by --config (anywhere on the command line) or
// ZITI_CTRL_BACKUP_CONFIG fills in the variables the environment does not
// set; CLI11 then applies flags over variables, so the order is flags >
// environment > file > defaults. (CLI11's own config files rank above the
// environment, hence this.)
Status ApplyConfigFile(Env& env, int argc, char** argv) {
  std::string path;
  if (const char* v = std::getenv("ZITI_CTRL_BACKUP_CONFIG")) path = v;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) path = argv[i + 1];
    if (a.rfind("--config=", 0) == 0) path = a.substr(9);
  }
  if (path.empty()) return Status::OK();
  ZB_ASSIGN_OR_RETURN(auto assignments, app::ReadConfigFile(env, path));
  for (const auto& [var, value] : assignments) ::setenv(var.c_str(), value.c_str(), 0);
  return Status::OK();
}

int Main(int argc, char** argv) {
  auto env = NewPosixEnv();
  auto clock = NewSystemClock();
  CommandContext ctx{*env, *clock, std::cout, std::cerr, Status::OK()};

  CLI::App app{"ziti-backup: consistent, verified backups of bbolt databases (OpenZiti controller)",
               "ziti-backup"};
  app.require_subcommand(1);
  std::string config_path;  // read before parsing, by ApplyConfigFile
  app.add_option("--config", config_path,
                 "Config file (YAML) for values not given as flags or variables; keys are\n"
                 "the ZITI_CTRL_BACKUP_* names without the prefix, in lower case")
      ->envname("ZITI_CTRL_BACKUP_CONFIG");
  app.fallthrough();
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
  RegisterDaemon(app, ctx);
  RegisterStatus(app, ctx);
  RegisterSnapshot(app, ctx);
  RegisterCheck(app, ctx);
  RegisterInspect(app, ctx);
  RegisterVersion(app, ctx);

  if (Status s = ApplyConfigFile(*env, argc, argv); !s.ok()) {
    std::cerr << "ziti-backup: " << s.ToString() << "\n";
    return ExitCodeFor(s);
  }
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
