// What a newcomer meets first: a mistyped command or flag is named with the
// closest known one (exit 2), `--version` answers like `version`, and an id
// that no target holds is the same usage error for `verify` and `restore`.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunZb;

// `text` matched literally inside a regular expression.
std::string Literal(const std::string& text) {
  return std::regex_replace(text, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
}

// Exit 2, nothing on stdout, exactly `err` on stderr.
void ExpectUsageError(const std::vector<std::string>& args, const std::string& err) {
  auto r = RunZb(args);
  EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args);
  EXPECT_EQ(r.out, "") << ::testing::PrintToString(args);
  EXPECT_EQ(r.err, err) << ::testing::PrintToString(args);
}

TEST(DidYouMeanTest, AMistypedCommandNamesTheClosestCommand) {
  const std::string help = "Run 'ziti-backup --help' for the commands.\n";
  ExpectUsageError({"restor"},
                   "ziti-backup: unknown command \"restor\"; did you mean \"restore\"?\n" + help);
  ExpectUsageError({"bakcup", "--db", "/x"},
                   "ziti-backup: unknown command \"bakcup\"; did you mean \"backup\"?\n" + help);
  ExpectUsageError({"lsit"},
                   "ziti-backup: unknown command \"lsit\"; did you mean \"list\"?\n" + help);
  ExpectUsageError({"verison"},
                   "ziti-backup: unknown command \"verison\"; did you mean \"version\"?\n" + help);
  ExpectUsageError(
      {"snapshots", "--no-scrub"},
      "ziti-backup: unknown command \"snapshots\"; did you mean \"snapshot\"?\n" + help);
  // Nothing close: no guess.
  ExpectUsageError({"frobnicate"}, "ziti-backup: unknown command \"frobnicate\"\n" + help);
  ExpectUsageError({"mirror", "--all"}, "ziti-backup: unknown command \"mirror\"\n" + help);
}

TEST(DidYouMeanTest, AMistypedFlagNamesTheClosestFlagOfThatCommand) {
  auto help = [](const std::string& cmd) {
    return "Run 'ziti-backup " + cmd + " --help' for its options.\n";
  };
  ExpectUsageError({"backup", "--tagret", "x"},
                   "ziti-backup backup: unknown option \"--tagret\"; did you mean \"--target\"?\n" +
                       help("backup"));
  ExpectUsageError({"backup", "--tagret=x"},
                   "ziti-backup backup: unknown option \"--tagret\"; did you mean \"--target\"?\n" +
                       help("backup"));
  // A known flag's value is not taken for a flag, and the first unknown
  // one is named.
  ExpectUsageError({"backup", "--db", "/x", "--keep-dayly", "7", "--tagret", "x"},
                   "ziti-backup backup: unknown option \"--keep-dayly\"; did you mean "
                   "\"--keep-daily\"?\n" +
                       help("backup"));
  ExpectUsageError({"prune", "--dryrun"},
                   "ziti-backup prune: unknown option \"--dryrun\"; did you mean \"--dry-run\"?\n" +
                       help("prune"));
  ExpectUsageError(
      {"status", "--max-aeg", "1h"},
      "ziti-backup status: unknown option \"--max-aeg\"; did you mean \"--max-age\"?\n" +
          help("status"));
  ExpectUsageError({"daemon", "--schedlue", "@daily"},
                   "ziti-backup daemon: unknown option \"--schedlue\"; did you mean "
                   "\"--schedule\"?\n" +
                       help("daemon"));
  // restore's --to is required: the typo is named, not the missing flag.
  ExpectUsageError(
      {"restore", "latest", "--tot", "/x/ctrl.db"},
      "ziti-backup restore: unknown option \"--tot\"; did you mean \"--to\"?\n" + help("restore"));
  // The top level's flags reach every command.
  ExpectUsageError(
      {"list", "--confg", "/x.yml"},
      "ziti-backup list: unknown option \"--confg\"; did you mean \"--config\"?\n" + help("list"));
  // Only the given command's flags are suggested: --max-age is status's,
  // --keep-last prune's and backup's.
  ExpectUsageError({"list", "--keep-last", "3"},
                   "ziti-backup list: unknown option \"--keep-last\"\n" + help("list"));
  ExpectUsageError({"verify", "--max-age", "1h"},
                   "ziti-backup verify: unknown option \"--max-age\"\n" + help("verify"));
  ExpectUsageError(
      {"check", "--jsno", "/x.db"},
      "ziti-backup check: unknown option \"--jsno\"; did you mean \"--json\"?\n" + help("check"));
}

TEST(DidYouMeanTest, AnUnknownFlagBeforeTheCommandIsTheTopLevels) {
  ExpectUsageError({"--tagret", "x", "backup"},
                   "ziti-backup: unknown option \"--tagret\"\n"
                   "Run 'ziti-backup --help' for the options and commands.\n");
  ExpectUsageError({"--verison"},
                   "ziti-backup: unknown option \"--verison\"; did you mean \"--version\"?\n"
                   "Run 'ziti-backup --help' for the options and commands.\n");
}

TEST(DidYouMeanTest, OtherUsageErrorsKeepTheirOwnMessage) {
  auto none = RunZb({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err,
            "A subcommand is required\nRun with --help or --help-all for more information.\n");
  auto extra = RunZb({"list", "extra"});
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_EQ(
      extra.err,
      "The following argument was not expected: extra\nRun with --help or --help-all for more "
      "information.\n");
}

TEST(VersionFlagTest, PrintsWhatTheVersionCommandPrints) {
  auto command = RunZb({"version"});
  ASSERT_EQ(command.exit_code, 0);
  EXPECT_TRUE(std::regex_match(command.out, std::regex("ziti-backup [0-9A-Za-z.+-]+\n")))
      << command.out;
  auto flag = RunZb({"--version"});
  EXPECT_EQ(flag.exit_code, 0);
  EXPECT_EQ(flag.out, command.out);
  EXPECT_EQ(flag.err, "");
  auto help = RunZb({"--help"});
  EXPECT_NE(help.out.find("  --version                   Print the version of ziti-backup (as "
                          "`version`)\n"),
            std::string::npos)
      << help.out;
}

class UnknownSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::mkdir(a_.c_str(), 0700), 0);
    ASSERT_EQ(::mkdir(b_.c_str(), 0700), 0);
  }
  testing::TempDir dir_;
  const std::string a_ = dir_ / "a", b_ = dir_ / "b";
  const std::string kId = "ctrl-ha-20000101T000000Z";
};

// Both commands were asked for something that is not there: the same
// message, naming where they looked, and exit 2 (the id on the command
// line is wrong; it is no damaged data, 3, and no failure a retry mends, 1).
TEST_F(UnknownSnapshotTest, VerifyAndRestoreSayTheSameWithExitTwo) {
  const std::string one = "ziti-backup: invalid argument: no snapshot " + kId + " in file://" + a_ +
                          " ('ziti-backup list' names the snapshots there)\n";
  ExpectUsageError({"verify", kId, "--target", "file://" + a_}, one);
  ExpectUsageError({"restore", kId, "--to", dir_ / "ctrl.db", "--target", "file://" + a_}, one);
  const std::string both = "ziti-backup: invalid argument: no snapshot " + kId +
                           " in any of file://" + a_ + ", file://" + b_ +
                           " ('ziti-backup list' names the snapshots there)\n";
  const std::string targets = "file://" + a_ + " file://" + b_;
  ExpectUsageError({"verify", kId, "--target", targets}, both);
  ExpectUsageError({"restore", kId, "--to", dir_ / "ctrl.db", "--target", targets}, both);
  EXPECT_EQ(testing::ListDir(dir_.path()), (std::vector<std::string>{"a", "b"}));
}

// Targets keep snapshots for different times: one that only some targets
// hold verifies there, and the others are named.
TEST_F(UnknownSnapshotTest, VerifyOfASnapshotSomeTargetsHoldChecksItWhereItIs) {
  const std::string db = dir_ / "ctrl-ha.db";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "256KiB"}).exit_code, 0);
  auto backup = RunZb({"backup", "--db", db, "--target", "file://" + b_});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const std::string id = testing::Field(backup.out, "id");
  auto r = RunZb({"verify", id, "--target", "file://" + a_ + " file://" + b_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::regex expected("verify: " + Literal("file://" + a_) + " has no snapshot " + id +
                            "\nverify ok: " + Literal("file://" + b_) + " " + id +
                            " txid=[0-9]+ plain_bytes=[0-9]+ stored_bytes=[0-9]+\n");
  EXPECT_TRUE(std::regex_match(r.out, expected)) << r.out;
}

}  // namespace
}  // namespace zb
