#include "base/suggest.h"

#include <gtest/gtest.h>

namespace zb {
namespace {

using Words = std::vector<std::string>;

TEST(EditDistanceTest, CountsEditsAndAdjacentSwapsAsOne) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("restore", "restore"), 0u);
  EXPECT_EQ(EditDistance("", "list"), 4u);
  EXPECT_EQ(EditDistance("list", ""), 4u);
  EXPECT_EQ(EditDistance("restor", "restore"), 1u);    // insertion
  EXPECT_EQ(EditDistance("restoore", "restore"), 1u);  // deletion
  EXPECT_EQ(EditDistance("verofy", "verify"), 1u);     // substitution
  EXPECT_EQ(EditDistance("tagret", "target"), 1u);     // swap
  EXPECT_EQ(EditDistance("ab", "ba"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("list", "prune"), 5u);
  // Optimal string alignment: a swapped pair is not edited again.
  EXPECT_EQ(EditDistance("ca", "abc"), 3u);
  EXPECT_EQ(EditDistance("abc", "ca"), 3u);
}

const Words kCommands{"backup", "list",     "verify", "restore", "prune",  "daemon",
                      "status", "snapshot", "check",  "inspect", "version"};

TEST(ClosestMatchesTest, NamesTheClosestCommand) {
  EXPECT_EQ(ClosestMatches("restor", kCommands), Words{"restore"});
  EXPECT_EQ(ClosestMatches("bakcup", kCommands), Words{"backup"});
  EXPECT_EQ(ClosestMatches("verfiy", kCommands), Words{"verify"});
  EXPECT_EQ(ClosestMatches("lsit", kCommands), Words{"list"});
  EXPECT_EQ(ClosestMatches("snapshots", kCommands), Words{"snapshot"});
  EXPECT_EQ(ClosestMatches("Status", kCommands), Words{"status"});
  EXPECT_EQ(ClosestMatches("versoin", kCommands), Words{"version"});
}

TEST(ClosestMatchesTest, NamesNothingWhenNothingIsClose) {
  EXPECT_EQ(ClosestMatches("ls", kCommands), Words{});    // 2 edits in a 2-letter word
  EXPECT_EQ(ClosestMatches("copy", kCommands), Words{});  // not a command here
  EXPECT_EQ(ClosestMatches("frobnicate", kCommands), Words{});
  EXPECT_EQ(ClosestMatches("", kCommands), Words{});
  EXPECT_EQ(ClosestMatches("restore", Words{}), Words{});
  EXPECT_EQ(ClosestMatches("restore", kCommands), Words{});  // the word itself is no typo
}

TEST(ClosestMatchesTest, ToleratesAThirdOfTheWordAtMostThreeEdits) {
  // 5 letters: 1 edit.
  EXPECT_EQ(ClosestMatches("prnue", Words{"prune"}), Words{"prune"});
  EXPECT_EQ(ClosestMatches("pxnxe", Words{"prune"}), Words{});
  // 6 letters: 2 edits.
  EXPECT_EQ(ClosestMatches("bxckxp", Words{"backup"}), Words{"backup"});
  EXPECT_EQ(ClosestMatches("bxxkxp", Words{"backup"}), Words{});
  // 12 letters: still 3 at most.
  EXPECT_EQ(ClosestMatches("--keep-mxnxhxy", Words{"--keep-monthly"}), Words{"--keep-monthly"});
  EXPECT_EQ(ClosestMatches("--kexp-mxnxhxy", Words{"--keep-monthly"}), Words{});
}

const Words kBackupFlags{"--help",        "--db",         "--ctrl-config", "--target",
                         "--method",      "--keep-last",  "--keep-daily",  "--keep-weekly",
                         "--keep-within", "--log-format", "--wait",        "--work-dir"};

TEST(ClosestMatchesTest, ComparesFlagsWithoutTheirDashes) {
  EXPECT_EQ(ClosestMatches("--tagret", kBackupFlags), Words{"--target"});
  EXPECT_EQ(ClosestMatches("--keep-dayly", kBackupFlags), Words{"--keep-daily"});
  EXPECT_EQ(ClosestMatches("--logformat", kBackupFlags), Words{"--log-format"});
  EXPECT_EQ(ClosestMatches("-target", kBackupFlags), Words{"--target"});
  EXPECT_EQ(ClosestMatches("--max-age", kBackupFlags), Words{});
}

TEST(ClosestMatchesTest, NamesEveryCandidateThatTiesInTheOrderGiven) {
  EXPECT_EQ(ClosestMatches("cat", Words{"bat", "cat", "hat", "bat"}), (Words{"bat", "hat"}));
}

}  // namespace
}  // namespace zb
