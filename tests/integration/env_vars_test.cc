// Every ZITI_CTRL_BACKUP_* variable that a command's --help names is read by
// that command, and none that it does not name. The variables come from the
// help itself ("(Env:NAME)" after an option, or named in a description),
// so an option added later is held to the same: a variable named without a
// case below fails here until it gets one. Each case sets the variable to a
// value the command must refuse, naming it; the same command without the
// variable does something else. Then every variable the help does not
// name, set all at once to such a value, must change nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunResult;

// What the help of `ziti-backup [COMMAND] --help` names: each variable, with
// the option that reads it ("" for one named in a description only).
std::map<std::string, std::string> VariablesInHelp(const std::string& help) {
  std::map<std::string, std::string> out;
  static const std::regex kNamed(R"(ZITI_CTRL_BACKUP(_[A-Z0-9]+)+)");
  for (std::sregex_iterator it(help.begin(), help.end(), kNamed), end; it != end; ++it) {
    out.emplace(it->str(), "");
  }
  // "  --target TEXT (Env:ZITI_CTRL_BACKUP_TARGETS)": the option's line.
  static const std::regex kOption(R"(\n +(?:-\w, *)?(--[\w-]+)[^\n]*\(Env:(\w+)\))");
  for (std::sregex_iterator it(help.begin(), help.end(), kOption), end; it != end; ++it) {
    out[(*it)[2].str()] = (*it)[1].str();
  }
  return out;
}

// stderr without the log events (lines that start with their time): the
// errors.
std::string WithoutLogEvents(const std::string& err) {
  static const std::regex kEvent(R"((^|\n)[0-9]{4}-[0-9]{2}-[0-9]{2}T[^\n]*\n)");
  std::string out = err, before;
  do {
    before = out;
    out = std::regex_replace(out, kEvent, "$1");
  } while (out != before);
  return out;
}

// `args` without `flag` and the value after it.
std::vector<std::string> Without(std::vector<std::string> args, const std::string& flag) {
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (*it == flag) {
      args.erase(it, it + 2);
      break;
    }
  }
  return args;
}

struct Case {
  std::string value;  // refused by (or otherwise visible in) what reads the variable
  std::string err;    // stderr then, but for log events
  int exit_code = 2;
  std::string out_has{};  // and a part of stdout
};

// The error of a malformed setting.
std::string Invalid(const std::string& message) {
  return "ziti-backup: invalid argument: " + message + "\n";
}

class EnvVarsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "256KiB"}).exit_code, 0);
    ASSERT_EQ(::mkdir(empty_.c_str(), 0700), 0);
  }

  // `ziti-backup ARGS` with `vars` set (and no other ZITI_CTRL_BACKUP_*
  // variable, nor ZITI_HOME), after removing what a snapshot wrote.
  RunResult Run(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& vars) {
    std::filesystem::remove(snap_);
    std::vector<std::string> argv{"env", "-u", "ZITI_HOME"};
    for (const auto& [var, value] : vars) argv.push_back(var + "=" + value);
    argv.push_back(testing::ZbPath());
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv);
  }

  // The command line of each command the cases run: what the command
  // needs to get as far as reading its settings.
  std::vector<std::pair<std::string, std::vector<std::string>>> Commands() const {
    const std::string backups = "file://" + (dir_ / "backups"), empty = "file://" + empty_;
    return {
        {"", {"list", "--target", empty}},
        {"backup", {"backup", "--db", db_, "--target", backups}},
        {"snapshot", {"snapshot", db_, snap_}},
        {"list", {"list", "--target", empty}},
        {"verify", {"verify", "--target", empty}},
        {"restore", {"restore", "latest", "--to", dir_ / "restored.db", "--target", empty}},
        {"prune", {"prune", "--target", empty}},
        {"daemon", {"daemon", "--validate", "--db", db_, "--target", backups}},
        {"status", {"status", "--target", empty}},
        {"check", {"check", db_}},
        {"inspect", {"inspect", db_}},
        {"version", {"version"}},
    };
  }

  // A value each variable's readers refuse, and what they say.
  std::map<std::string, Case> Cases() const {
    const std::string keep = " value \"seven\": want a whole number from 0 to 999999";
    const std::string missing = dir_ / "missing";
    const std::string examples = " (examples: 30s, 15m, 36h, 7d, 1h30m)";
    return {
        {"ZITI_CTRL_BACKUP_CONFIG",
         {missing + ".yml", Invalid("config file (--config / ZITI_CTRL_BACKUP_CONFIG) open " +
                                    missing + ".yml: No such file or directory")}},
        {"ZITI_CTRL_BACKUP_DB",
         {missing + ".db",
          "ziti-backup: not found: stat " + missing + ".db: No such file or directory\n", 1}},
        {"ZITI_CTRL_BACKUP_CTRL_CONFIG",
         {missing + ".yml",
          Invalid("cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not set; "
                  "controller config " +
                  missing + ".yml: open " + missing + ".yml: No such file or directory")}},
        {"ZITI_CTRL_BACKUP_TARGETS",
         {"ftp://x", Invalid("--target / ZITI_CTRL_BACKUP_TARGETS: invalid target \"ftp://x\": "
                             "unknown scheme \"ftp\" (use file:///absolute/dir, s3://bucket/prefix "
                             "or azblob://account/container/prefix)")}},
        {"ZITI_CTRL_BACKUP_METHOD",
         {"warm", Invalid("invalid --method / ZITI_CTRL_BACKUP_METHOD value \"warm\": use auto, "
                          "cold, hot or agent")}},
        {"ZITI_CTRL_BACKUP_AGENT_COMMAND",
         {"ziti \"agent", Invalid("--agent-command / ZITI_CTRL_BACKUP_AGENT_COMMAND: agent "
                                  "command has an unbalanced quote: ziti \"agent")}},
        {"ZITI_CTRL_BACKUP_AGENT_RESTORE_COMMAND",
         {"ziti \"agent", Invalid("--agent-restore-command / "
                                  "ZITI_CTRL_BACKUP_AGENT_RESTORE_COMMAND: agent command has an "
                                  "unbalanced quote: ziti \"agent")}},
        {"ZITI_CTRL_BACKUP_AGENT_TIMEOUT",
         {"soon", Invalid("invalid --agent-timeout / ZITI_CTRL_BACKUP_AGENT_TIMEOUT value "
                          "\"soon\": invalid duration \"soon\": expected a number" +
                          examples)}},
        {"ZITI_CTRL_BACKUP_COMPRESS",
         {"gzip", Invalid("invalid --compress / ZITI_CTRL_BACKUP_COMPRESS value \"gzip\": use "
                          "zstd or none")}},
        {"ZITI_CTRL_BACKUP_ZSTD_LEVEL",
         {"25", Invalid("invalid --zstd-level / ZITI_CTRL_BACKUP_ZSTD_LEVEL value \"25\": want 1 "
                        "to 19")}},
        {"ZITI_CTRL_BACKUP_KEEP_LAST",
         {"seven", Invalid("invalid --keep-last / ZITI_CTRL_BACKUP_KEEP_LAST" + keep)}},
        {"ZITI_CTRL_BACKUP_KEEP_HOURLY",
         {"seven", Invalid("invalid --keep-hourly / ZITI_CTRL_BACKUP_KEEP_HOURLY" + keep)}},
        {"ZITI_CTRL_BACKUP_KEEP_DAILY",
         {"seven", Invalid("invalid --keep-daily / ZITI_CTRL_BACKUP_KEEP_DAILY" + keep)}},
        {"ZITI_CTRL_BACKUP_KEEP_WEEKLY",
         {"seven", Invalid("invalid --keep-weekly / ZITI_CTRL_BACKUP_KEEP_WEEKLY" + keep)}},
        {"ZITI_CTRL_BACKUP_KEEP_MONTHLY",
         {"seven", Invalid("invalid --keep-monthly / ZITI_CTRL_BACKUP_KEEP_MONTHLY" + keep)}},
        {"ZITI_CTRL_BACKUP_KEEP_YEARLY",
         {"seven", Invalid("invalid --keep-yearly / ZITI_CTRL_BACKUP_KEEP_YEARLY" + keep)}},
        {"ZITI_CTRL_BACKUP_KEEP_WITHIN",
         {"2 weeks", Invalid("invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"2 "
                             "weeks\": invalid duration \"2 weeks\": unknown unit" +
                             examples)}},
        {"ZITI_CTRL_BACKUP_TZ",
         {"Mars/Base", Invalid("invalid --tz / ZITI_CTRL_BACKUP_TZ value \"Mars/Base\": unknown "
                               "time zone \"Mars/Base\" (use a zoneinfo name like UTC or "
                               "Europe/Berlin)")}},
        {"ZITI_CTRL_BACKUP_LOG_FORMAT",
         {"xml", Invalid("invalid --log-format / ZITI_CTRL_BACKUP_LOG_FORMAT value \"xml\": use "
                         "text or json")}},
        // A flag: CLI11 converts the variable as it would the flag's value.
        {"ZITI_CTRL_BACKUP_CREATE_TARGET",
         {"maybe",
          "Could not convert: --create-target = maybe\nRun with --help or --help-all "
          "for more information.\n"}},
        {"ZITI_CTRL_BACKUP_INCREMENTAL",
         {"maybe",
          "Could not convert: --incremental = maybe\nRun with --help or --help-all "
          "for more information.\n"}},
        {"ZITI_CTRL_BACKUP_SCHEDULE",
         {"@sometimes", Invalid("invalid --schedule / ZITI_CTRL_BACKUP_SCHEDULE value "
                                "\"@sometimes\": schedule \"@sometimes\": unknown macro "
                                "@sometimes (use @yearly, @monthly, @weekly, @daily, @hourly or "
                                "@every <duration>)")}},
        {"ZITI_CTRL_BACKUP_CRONTAB",
         {missing + ".crontab",
          Invalid("--crontab / ZITI_CTRL_BACKUP_CRONTAB " + missing + ".crontab: open " + missing +
                  ".crontab: No such file or directory")}},
        {"ZITI_CTRL_BACKUP_GRACE",
         {"soon", Invalid("invalid --grace / ZITI_CTRL_BACKUP_GRACE value \"soon\": invalid "
                          "duration \"soon\": expected a number" +
                          examples)}},
        {"ZITI_CTRL_BACKUP_METRICS_ADDR",
         {"nowhere", Invalid("invalid --metrics-addr / ZITI_CTRL_BACKUP_METRICS_ADDR value "
                             "\"nowhere\": not host:port, :port or [v6]:port")}},
        {"ZITI_CTRL_BACKUP_METRICS_FILE",
         {empty_, Invalid("invalid --metrics-file / ZITI_CTRL_BACKUP_METRICS_FILE value \"" +
                          empty_ + "\": " + empty_ + " is a directory, not a regular file")}},
        {"ZITI_CTRL_BACKUP_AGE_RECIPIENTS",
         {"age1notakey", Invalid("--age-recipient / ZITI_CTRL_BACKUP_AGE_RECIPIENTS: recipient 1: "
                                 "not an age X25519 recipient (bech32: invalid character)")}},
        {"ZITI_CTRL_BACKUP_AGE_RECIPIENTS_FILE",
         {missing + ".txt",
          Invalid("--age-recipients-file / ZITI_CTRL_BACKUP_AGE_RECIPIENTS_FILE: open " + missing +
                  ".txt: No such file or directory")}},
        {"ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE",
         {missing + ".txt", Invalid("--identity / ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE: open " +
                                    missing + ".txt: No such file or directory")}},
        {"ZITI_CTRL_BACKUP_STATE_DIR",
         {db_, Invalid("invalid --state-dir / ZITI_CTRL_BACKUP_STATE_DIR value \"" + db_ +
                       "\": not a directory")}},
        {"ZITI_CTRL_BACKUP_MAX_AGE",
         {"soon", Invalid("invalid --max-age / ZITI_CTRL_BACKUP_MAX_AGE value \"soon\": invalid "
                          "duration \"soon\": expected a number" +
                          examples)}},
    };
  }

  // Where a command shows the value otherwise.
  std::map<std::pair<std::string, std::string>, Case> Differences() const {
    const std::string missing = dir_ / "missing";
    return {
        // The controller may not have made its DB yet: named, not refused.
        {{"daemon", "ZITI_CTRL_BACKUP_DB"},
         {missing + ".db", "", 0, "; db " + missing + ".db (not there yet); "}},
        {{"daemon", "ZITI_CTRL_BACKUP_CTRL_CONFIG"},
         {missing + ".yml", "", 0, "; db from " + missing + ".yml (not there yet); "}},
        // snapshot's own messages do not name the variable.
        {{"snapshot", "ZITI_CTRL_BACKUP_METHOD"},
         {"warm", Invalid("unknown snapshot method \"warm\" (use auto, cold, hot or agent)")}},
        {{"snapshot", "ZITI_CTRL_BACKUP_AGENT_COMMAND"},
         {"ziti \"agent", Invalid("agent command has an unbalanced quote: ziti \"agent")}},
    };
  }

  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl-ha.db", empty_ = dir_ / "empty", snap_ = dir_ / "snap.db";
};

TEST_F(EnvVarsTest, EveryVariableAHelpNamesIsReadByThatCommand) {
  const auto cases = Cases();
  const auto differences = Differences();
  for (const auto& [name, args] : Commands()) {
    SCOPED_TRACE("command: " + (name.empty() ? "(top level)" : name));
    std::vector<std::string> help_args =
        name.empty() ? std::vector<std::string>{} : std::vector<std::string>{name};
    help_args.push_back("--help");
    auto help = Run(help_args, {});
    ASSERT_EQ(help.exit_code, 0) << help.err;
    const auto named = VariablesInHelp(help.out);
    EXPECT_TRUE(named.count("ZITI_CTRL_BACKUP_CONFIG")) << help.out;
    for (const auto& [var, flag] : named) {
      SCOPED_TRACE(var + (flag.empty() ? "" : " (" + flag + ")"));
      auto c = cases.find(var);
      ASSERT_NE(c, cases.end()) << "no case for " << var << ": add one to Cases()";
      Case expected = c->second;
      if (auto d = differences.find({name, var}); d != differences.end()) expected = d->second;
      // The flag would win over the variable.
      std::vector<std::string> run_args = flag.empty() ? args : Without(args, flag);
      // The controller config only says where the DB is.
      if (var == "ZITI_CTRL_BACKUP_CTRL_CONFIG") run_args = Without(run_args, "--db");
      auto with = Run(run_args, {{var, expected.value}});
      EXPECT_EQ(with.exit_code, expected.exit_code) << with.err;
      EXPECT_EQ(WithoutLogEvents(with.err), expected.err);
      EXPECT_NE(with.out.find(expected.out_has), std::string::npos) << with.out;
      auto without = Run(run_args, {});
      EXPECT_TRUE(without.exit_code != with.exit_code || without.err != with.err ||
                  without.out != with.out)
          << "no effect";
    }
    // The rest, all at once: nothing changes.
    std::map<std::string, std::string> unnamed;
    for (const auto& [var, c] : cases) {
      if (!named.count(var)) unnamed[var] = c.value;
    }
    if (unnamed.empty()) continue;
    auto plain = Run(args, {});
    auto with_unnamed = Run(args, unnamed);
    EXPECT_EQ(with_unnamed.exit_code, plain.exit_code);
    EXPECT_EQ(WithoutLogEvents(with_unnamed.err), WithoutLogEvents(plain.err));
    if (WithoutLogEvents(with_unnamed.err) != WithoutLogEvents(plain.err)) {
      for (const auto& [var, value] : unnamed) {
        EXPECT_EQ(WithoutLogEvents(Run(args, {{var, value}}).err), WithoutLogEvents(plain.err))
            << var << " is read but not named";
      }
    }
  }
}

// CLI11 converts the variables of every command, also of those that do not
// run: a value only backup and daemon read failed every other command.
TEST_F(EnvVarsTest, OnlyTheCommandThatRunsReadsItsVariables) {
  const std::map<std::string, std::string> create_target{
      {"ZITI_CTRL_BACKUP_CREATE_TARGET", "maybe"}};
  auto version = Run({"version"}, create_target);
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, Run({"version"}, {}).out);
  auto list = Run({"list", "--target", "file://" + empty_}, create_target);
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.err, "");
  auto backup = Run({"backup", "--db", db_, "--target", "file://" + empty_}, create_target);
  EXPECT_EQ(backup.exit_code, 2);
  EXPECT_EQ(backup.err,
            "Could not convert: --create-target = maybe\nRun with --help or --help-all for more "
            "information.\n");
}

}  // namespace
}  // namespace zb
