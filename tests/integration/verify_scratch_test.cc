// `verify` restores each snapshot into a directory it makes itself (mkdtemp,
// 0700), never under a name another user could make first. Before, it
// wrote "$TMPDIR/.ziti-backup-verify-<id>.db": a symlink or a file someone
// put there was replaced and then deleted (and a directory there failed
// the run). Whatever is at that name now stays as it was, and verify
// leaves nothing behind.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::Field;
using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;

class VerifyScratchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "ctrl-ha.db";
    target_ = dir_ / "backups";
    tmp_ = dir_ / "tmp";
    std::filesystem::create_directory(tmp_);
    ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB", "--seed", "11"}).exit_code, 0);
    auto r = RunZb({"backup", "--db", db_, "--target", "file://" + target_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    id_ = Field(r.out, "id");
  }
  testing::RunResult Verify(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{"env",    "TMPDIR=" + tmp_, testing::ZbPath(),
                                  "verify", "--target",       "file://" + target_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return testing::Run(argv);
  }
  TempDir dir_;
  std::string db_, target_, tmp_, id_;
};

TEST_F(VerifyScratchTest, WhatOthersPutAtTheOldNameIsLeftAlone) {
  const std::string old_name = tmp_ + "/.ziti-backup-verify-" + id_ + ".db";
  const std::string victim = dir_ / "victim";
  testing::WriteFileOrDie(victim, "precious");
  std::filesystem::create_symlink(victim, old_name);
  auto r = Verify({"--restore-test"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("verify ok: file://" + target_ + " " + id_, 0), 0u) << r.out;
  EXPECT_TRUE(std::filesystem::is_symlink(old_name));
  EXPECT_EQ(std::filesystem::read_symlink(old_name), victim);
  EXPECT_EQ(testing::ReadFileOrDie(victim), "precious");
  EXPECT_EQ(testing::ListDir(tmp_), std::vector<std::string>{".ziti-backup-verify-" + id_ + ".db"});

  // A file of someone else's there, and a directory in --work-dir.
  std::filesystem::remove(old_name);
  testing::WriteFileOrDie(old_name, "theirs");
  const std::string work = dir_ / "work";
  std::filesystem::create_directories(work + "/.ziti-backup-verify-" + id_ + ".db");
  r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(testing::ReadFileOrDie(old_name), "theirs");
  r = Verify({"--work-dir", work});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(testing::ListDir(work), std::vector<std::string>{".ziti-backup-verify-" + id_ + ".db"});
  EXPECT_EQ(testing::ListDir(tmp_), std::vector<std::string>{".ziti-backup-verify-" + id_ + ".db"});
}

// An unusable work directory is an error naming it.
TEST_F(VerifyScratchTest, ErrorsNameThePath) {
  const std::string file = dir_ / "file";
  testing::WriteFileOrDie(file, "x");
  auto r = Verify({"--work-dir", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ziti-backup: I/O error: create directory " + file +
                       ": exists and is not a directory\n");
  if (::geteuid() != 0) {
    const std::string ro = dir_ / "ro";
    std::filesystem::create_directory(ro);
    ::chmod(ro.c_str(), 0500);
    r = Verify({"--work-dir", ro});
    ::chmod(ro.c_str(), 0700);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "ziti-backup: I/O error: create directory " + ro +
                         "/.ziti-backup-verify-XXXXXX: Permission denied\n");
  }
}

}  // namespace
}  // namespace zb
