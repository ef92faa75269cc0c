// Targets as an operator types them: a typo or an unmounted volume is an
// error, not a new directory tree on the root disk; commands that only read
// say that a target does not exist; only real targets are reachable.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>

#include "testutil/run.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;

using testing::RunZb;

class TargetUrlCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "256KiB"}).exit_code, 0);
  }
  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl-ha.db";
};

TEST_F(TargetUrlCliTest, AMissingParentIsAnErrorUnlessTheWholePathIsAskedFor) {
  const std::string deep = dir_ / "mnt/typo/backups";
  auto r = RunZb({"backup", "--db", db_, "--target", "file://" + deep});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "target file://" + deep + ": its parent directory " + dir_.path() +
                                  "/mnt/typo does not exist (a typo, or a volume "
                                  "that is not mounted?)"))
      << r.err;
  EXPECT_EQ(testing::ListDir(dir_.path()), std::vector<std::string>{"ctrl-ha.db"});

  // The last level alone is made, as before.
  r = RunZb({"backup", "--db", db_, "--target", "file://" + dir_.path() + "/backups"});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  r = RunZb({"backup", "--db", db_, "--target", "file://" + deep, "--create-target"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_directory(deep));

  const std::string other = dir_ / "by/variable";
  ::setenv("ZITI_CTRL_BACKUP_CREATE_TARGET", "true", 1);
  r = RunZb({"backup", "--db", db_, "--target", "file://" + other});
  ::unsetenv("ZITI_CTRL_BACKUP_CREATE_TARGET");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_directory(other));
}

TEST_F(TargetUrlCliTest, CommandsThatReadSayTheTargetDoesNotExistAndMakeNothing) {
  const std::string missing = dir_ / "backups";
  const std::string error =
      "target file://" + missing + " does not exist (no directory " + missing + ")";
  for (std::vector<std::string> args : {std::vector<std::string>{"list"},
                                        {"verify"},
                                        {"verify", "--all"},
                                        {"status"},
                                        {"prune", "--keep-last", "1"},
                                        {"restore", "latest", "--to", dir_ / "restored.db"}}) {
    args.insert(args.end(), {"--target", "file://" + missing});
    auto r = RunZb(args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.out << r.err;
    EXPECT_TRUE(Contains(r.out + r.err, error)) << args[0] << ": " << r.out << r.err;
  }
  EXPECT_EQ(testing::ListDir(dir_.path()), std::vector<std::string>{"ctrl-ha.db"});
}

TEST_F(TargetUrlCliTest, OnlyRealTargetsAreReachable) {
  // The in-memory store would report success for data that dies with the process.
  auto mem = RunZb({"backup", "--db", db_, "--target", "mem://"});
  EXPECT_EQ(mem.exit_code, 2);
  EXPECT_EQ(mem.err,
            "ziti-backup: invalid argument: --target / ZITI_CTRL_BACKUP_TARGETS: invalid target "
            "\"mem://\": unknown scheme \"mem\" (use file:///absolute/dir, s3://bucket/prefix or "
            "azblob://account/container/prefix)\n");
  auto query = RunZb({"list", "--target", "file://" + dir_.path() + "?x=1"});
  EXPECT_EQ(query.exit_code, 2);
  EXPECT_TRUE(Contains(query.err, "unknown option \"x\"; file:// targets take keep-last"))
      << query.err;
  // Percent-escapes name the directory they spell.
  const std::string spaced = dir_ / "my backups";
  auto escaped =
      RunZb({"backup", "--db", db_, "--target", "file://" + dir_.path() + "/my%20backups"});
  EXPECT_EQ(escaped.exit_code, 0) << escaped.err;
  EXPECT_TRUE(std::filesystem::is_directory(spaced));
}

TEST_F(TargetUrlCliTest, EachTargetMayKeepItsOwnRetention) {
  const std::string near = "file://" + dir_.path() + "/near?keep-last=1";
  const std::string far = "file://" + dir_.path() + "/far";
  const std::string both = near + " " + far;
  for (int i = 0; i < 4; ++i) {
    auto r = RunZb({"backup", "--db", db_, "--target", both, "--keep-last", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  auto manifests = [](const std::string& dir) {
    auto names = testing::ListDir(dir);
    return std::count_if(names.begin(), names.end(),
                         [](const std::string& n) { return n.ends_with(".json"); });
  };
  EXPECT_EQ(manifests(dir_ / "near"), 1);
  EXPECT_EQ(manifests(dir_ / "far"), 3) << "the flags' keep-last 3";
  auto dry = RunZb({"prune", "--dry-run", "--target", both});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_TRUE(Contains(dry.out, "file://" + dir_.path() + "/near: policy last 1 (UTC)")) << dry.out;
  EXPECT_TRUE(Contains(dry.out, "file://" + dir_.path() +
                                    "/far: policy last 3, hourly 24, daily 7, weekly 4, "
                                    "monthly 12 (UTC)"))
      << dry.out;
  auto bad = RunZb({"list", "--target", far + "?keep-daily=seven"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "ziti-backup: invalid argument: --target / ZITI_CTRL_BACKUP_TARGETS: file://" +
                         dir_.path() +
                         "/far: invalid keep-daily value \"seven\": want a whole number from 0 "
                         "to 999999\n");
  auto nothing = RunZb({"list", "--target", far + "?keep-last=0"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_TRUE(Contains(nothing.err, "/far: ")) << nothing.err;
}

}  // namespace
}  // namespace zb
