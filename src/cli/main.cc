// ziti-backup entry point: builds the real Env and Clock (the only place that
// does), dispatches to one subcommand, and maps its Status to the exit code.
#include <cstdlib>
#include <iostream>
#include <optional>

#include "app/config_file.h"
#include "base/suggest.h"
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

// `"a"`, `"a" or "b"`: the words of a suggestion, quoted.
std::string QuotedAlternatives(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += " or ";
    out += "\"" + words[i] + "\"";
  }
  return out;
}

// "unknown command "restor"; did you mean "restore"?" and the like: the
// word that was not understood and the known words closest to it.
std::string UnknownWord(const std::string& what, const std::string& word,
                        const std::vector<std::string>& known) {
  std::string out = "unknown " + what + " \"" + word + "\"";
  if (auto close = ClosestMatches(word, known); !close.empty()) {
    out += "; did you mean " + QuotedAlternatives(close) + "?";
  }
  return out;
}

// The long flags `cmd` takes ("--target"), in the order they were declared.
std::vector<std::string> LongFlags(const CLI::App& cmd) {
  std::vector<std::string> out;
  for (const CLI::Option* o : cmd.get_options()) {
    for (const std::string& name : o->get_lnames()) out.push_back("--" + name);
  }
  return out;
}

std::vector<CLI::App*> Subcommands(CLI::App& app) {
  return app.get_subcommands([](CLI::App*) { return true; });
}

// The command `word` names, or null.
CLI::App* SubcommandNamed(CLI::App& app, const std::string& word) {
  for (CLI::App* sub : Subcommands(app)) {
    if (sub->check_name(word)) return sub;
  }
  return nullptr;
}

// Finds the first command or flag on the command line that `app` does not
// know, and says so with the closest known ones: the first word that is
// not a flag must be a command, and flags after it are the command's own
// (or the top level's, which fall through). Where every word is known, the
// parse failed for another reason and nullopt leaves the error to CLI11.
std::optional<std::string> FindUnknownWord(CLI::App& app, int argc, char** argv) {
  const CLI::App* cmd = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;  // positional arguments only from here
    if (arg.size() < 2 || arg[0] != '-') {
      if (cmd != nullptr) continue;  // a positional argument of the command
      cmd = SubcommandNamed(app, arg);
      if (cmd == nullptr) {
        std::vector<std::string> known;
        for (const CLI::App* sub : Subcommands(app)) known.push_back(sub->get_name());
        return "ziti-backup: " + UnknownWord("command", arg, known) +
               "\nRun 'ziti-backup --help' for the commands.\n";
      }
      continue;
    }
    const std::string flag = arg.substr(0, arg.find('='));
    const CLI::Option* o = cmd != nullptr ? cmd->get_option_no_throw(flag) : nullptr;
    if (o == nullptr) o = app.get_option_no_throw(flag);
    if (o != nullptr) {
      // A value in the next word ("--target URL") is not a flag, whatever
      // it starts with.
      if (flag.size() == arg.size() && o->get_type_size() != 0) ++i;
      continue;
    }
    std::vector<std::string> known = cmd != nullptr ? LongFlags(*cmd) : LongFlags(app);
    std::string prefix = "ziti-backup";
    if (cmd != nullptr) {
      prefix += " " + cmd->get_name();
      for (std::string& top : LongFlags(app)) known.push_back(std::move(top));
    }
    return prefix + ": " + UnknownWord("option", flag, known) + "\nRun '" + prefix +
           " --help' for " + (cmd != nullptr ? "its options" : "the options and commands") + ".\n";
  }
  return std::nullopt;
}

// The command named on the command line: the first word that is neither a
// flag of the top level nor its value (null if none is).
CLI::App* CommandIn(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") return nullptr;
    if (arg.size() < 2 || arg[0] != '-') return SubcommandNamed(app, arg);
    const CLI::Option* o = app.get_option_no_throw(arg);
    if (o != nullptr && o->get_type_size() != 0) ++i;  // "--config FILE"
  }
  return nullptr;
}

// CLI11 converts every command's variables, also those of the commands that
// do not run: a value only `backup` reads (ZITI_CTRL_BACKUP_CREATE_TARGET=
// maybe) would fail `list`. Only `chosen` reads its variables (but for
// --help-all, which shows every command's).
void ReadVariablesOnlyFor(CLI::App& app, const CLI::App* chosen, int argc, char** argv) {
  if (chosen == nullptr) return;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help-all") return;
  }
  for (CLI::App* sub : Subcommands(app)) {
    if (sub == chosen) continue;
    for (CLI::Option* o : sub->get_options([](CLI::Option*) { return true; })) o->envname("");
  }
}

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
  app.set_version_flag("--version", VersionLine(),
                       "Print the version of ziti-backup (as `version`)");
  app.footer(
      "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error,\n"
      "3 verification failed, 4 busy (lock held, DB in use), 5 partial.\n"
      "Run 'ziti-backup COMMAND --help' for a command's options.");
  RegisterBackup(app, ctx);
  RegisterList(app, ctx);
  RegisterVerify(app, ctx);
  RegisterRestore(app, ctx);
  RegisterPrune(app, ctx);
  RegisterCopy(app, ctx);
  RegisterDaemon(app, ctx);
  RegisterStatus(app, ctx);
  RegisterSnapshot(app, ctx);
  RegisterCheck(app, ctx);
  RegisterInspect(app, ctx);
  RegisterKeygen(app, ctx);
  RegisterVersion(app, ctx);
  // --config is the top level's, read by every command: each one's help
  // names it.
  for (CLI::App* sub : Subcommands(app)) {
    sub->footer(
        "Every command also takes --config FILE (Env:ZITI_CTRL_BACKUP_CONFIG): settings from\n"
        "a YAML file, under flags and variables. See 'ziti-backup --help'.");
  }

  if (Status s = ApplyConfigFile(*env, argc, argv); !s.ok()) {
    std::cerr << "ziti-backup: " << s.ToString() << "\n";
    return ExitCodeFor(s);
  }
  ReadVariablesOnlyFor(app, CommandIn(app, argc, argv), argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // A mistyped command or flag is named with the closest known ones,
    // whatever CLI11 stumbled on first (a required option, say).
    if (auto unknown = FindUnknownWord(app, argc, argv)) {
      std::cerr << *unknown;
      return 2;
    }
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
