// Anything but a regular file where ziti-backup expects one (a FIFO, a
// directory, a character device) is refused at once, naming the path and
// what it is: as the DB of check, inspect, snapshot and backup, as the
// snapshot's output, as a controller config, config file or crontab, as
// restore's --to, and as a manifest or data object in a target. Before, a
// FIFO blocked the open forever (no writer comes) and /dev/zero read as an
// empty file. Each case must return: the harness would time it out
// otherwise, which is the failure this test exists to catch.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::Field;
using testing::LastLine;
using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;

class OddFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "ctrl-ha.db";
    fifo_ = dir_ / "fifo.db";
    target_ = dir_ / "backups";
    ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB", "--seed", "5"}).exit_code, 0);
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0600), 0);
  }
  // Exit code and the error line, checked together.
  static void ExpectRefused(const testing::RunResult& r, int code, const std::string& error) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_EQ(LastLine(r.err), error) << r.err;
  }
  static std::string Fifo(const std::string& path) {
    return "ziti-backup: invalid argument: " + path + " is a FIFO, not a regular file";
  }
  TempDir dir_;
  std::string db_, fifo_, target_;
};

TEST_F(OddFilesTest, FifoAsTheDbIsRefusedByEveryCommand) {
  ExpectRefused(RunZb({"check", fifo_}), 2, Fifo(fifo_));
  ExpectRefused(RunZb({"inspect", fifo_}), 2, Fifo(fifo_));
  for (const char* method : {"auto", "cold", "hot"}) {
    ExpectRefused(RunZb({"snapshot", "--method", method, fifo_, dir_ / "out.db"}), 2, Fifo(fifo_));
    auto backup =
        RunZb({"backup", "--method", method, "--db", fifo_, "--target", "file://" + target_});
    ExpectRefused(backup, 2, Fifo(fifo_));
    EXPECT_NE(backup.err.find("backup.fail"), std::string::npos) << backup.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.db"));
  EXPECT_EQ(testing::ListDir(target_), std::vector<std::string>{".ziti-backup.lock"});
  EXPECT_EQ(testing::RunLeftovers(dir_.path()), std::vector<std::string>{});
}

TEST_F(OddFilesTest, DirectoryAndDevicesAsTheDbAreRefused) {
  const std::string sub = dir_ / "sub";
  std::filesystem::create_directory(sub);
  const std::string is_dir = "ziti-backup: invalid argument: " + sub + " is a directory, ";
  ExpectRefused(RunZb({"check", sub}), 2, is_dir + "not a regular file");
  ExpectRefused(RunZb({"inspect", sub}), 2, is_dir + "not a regular file");
  ExpectRefused(RunZb({"snapshot", sub, dir_ / "out.db"}), 2, is_dir + "not a bbolt file");
  ExpectRefused(RunZb({"backup", "--db", sub, "--target", "file://" + target_}), 2,
                is_dir + "not a bbolt file");
  for (const std::string dev : {"/dev/null", "/dev/zero"}) {
    const std::string error =
        "ziti-backup: invalid argument: " + dev + " is a character device, not a regular file";
    ExpectRefused(RunZb({"check", dev}), 2, error);
    ExpectRefused(RunZb({"inspect", "--json", dev}), 2, error);
    ExpectRefused(RunZb({"snapshot", "--method", "hot", dev, dir_ / "out.db"}), 2, error);
    ExpectRefused(RunZb({"snapshot", "--method", "cold", dev, dir_ / "out.db"}), 2, error);
    ExpectRefused(RunZb({"backup", "--db", dev, "--target", "file://" + target_}), 2, error);
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.db"));
}

// The output of snapshot, restore's --to: refused before any work, and the
// FIFO or directory is still there afterwards.
TEST_F(OddFilesTest, FifoOrDirectoryAsWhereToWriteIsRefusedAndLeftAlone) {
  const std::string out_dir = dir_ / "out";
  std::filesystem::create_directory(out_dir);
  ExpectRefused(RunZb({"snapshot", db_, fifo_}), 2, Fifo(fifo_));
  ExpectRefused(
      RunZb({"snapshot", db_, out_dir}), 2,
      "ziti-backup: invalid argument: " + out_dir + " is a directory, not a regular file");
  ExpectRefused(RunZb({"snapshot", db_, "/dev/null"}), 2,
                "ziti-backup: invalid argument: /dev/null is a character device, not a regular "
                "file");

  auto backup = RunZb({"backup", "--db", db_, "--target", "file://" + target_});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  for (const char* force : {"", "--force"}) {
    std::vector<std::string> args{"restore",           "latest", "--target",
                                  "file://" + target_, "--to",   fifo_};
    if (*force) args.push_back(force);
    ExpectRefused(RunZb(args), 2, Fifo(fifo_));
  }
  EXPECT_TRUE(std::filesystem::is_fifo(fifo_));
  EXPECT_TRUE(std::filesystem::is_directory(out_dir));
  EXPECT_EQ(testing::ListDir(out_dir), std::vector<std::string>{});
  EXPECT_EQ(testing::RunLeftovers(dir_.path()), std::vector<std::string>{});
}

TEST_F(OddFilesTest, FifoAsAConfigOrCrontabIsRefused) {
  auto ctrl = RunZb({"backup", "--ctrl-config", fifo_, "--target", "file://" + target_});
  ExpectRefused(ctrl, 2,
                "ziti-backup: invalid argument: cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is "
                "not set; controller config " +
                    fifo_ + ": " + fifo_ + " is a FIFO, not a regular file");
  auto config = RunZb({"--config", fifo_, "list", "--target", "file://" + target_});
  ExpectRefused(config, 2,
                "ziti-backup: invalid argument: config file (--config / ZITI_CTRL_BACKUP_CONFIG) " +
                    fifo_ + " is a FIFO, not a regular file");
  auto crontab =
      RunZb({"daemon", "--validate", "--crontab", fifo_, "--target", "file://" + target_});
  ExpectRefused(crontab, 2,
                "ziti-backup: invalid argument: --crontab / ZITI_CTRL_BACKUP_CRONTAB " + fifo_ +
                    ": " + fifo_ + " is a FIFO, not a regular file");
  auto status = RunZb({"status", "--crontab", fifo_, "--target", "file://" + target_});
  ExpectRefused(status, 2,
                "ziti-backup: invalid argument: --crontab / ZITI_CTRL_BACKUP_CRONTAB " + fifo_ +
                    ": " + fifo_ + " is a FIFO, not a regular file");
}

// A target whose data object or manifest was replaced by a FIFO: the
// snapshot is damaged (exit 3), named with the path, and nothing waits.
TEST_F(OddFilesTest, FifoInATargetIsDamageNotAHang) {
  auto backup = RunZb({"backup", "--db", db_, "--target", "file://" + target_});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const std::string id = Field(backup.out, "id");
  const std::string data = target_ + "/" + id + ".db.zst";
  std::filesystem::remove(data);
  ASSERT_EQ(::mkfifo(data.c_str(), 0600), 0);

  auto list = RunZb({"list", "--target", "file://" + target_});
  EXPECT_EQ(list.exit_code, 0) << list.err;  // manifests only
  EXPECT_NE(list.out.find(id), std::string::npos) << list.out;
  auto verify = RunZb({"verify", "--target", "file://" + target_});
  EXPECT_EQ(verify.exit_code, 3) << verify.err;
  EXPECT_EQ(verify.out, "verify FAILED: file://" + target_ + " " + id + ": " + data +
                            " is a FIFO, not a regular file\n");
  auto restore =
      RunZb({"restore", "latest", "--target", "file://" + target_, "--to", dir_ / "r.db"});
  ExpectRefused(restore, 3, "ziti-backup: corruption: " + data + " is a FIFO, not a regular file");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "r.db"));

  const std::string manifest = target_ + "/" + id + ".json";
  std::filesystem::remove(manifest);
  ASSERT_EQ(::mkfifo(manifest.c_str(), 0600), 0);
  list = RunZb({"list", "--target", "file://" + target_});
  EXPECT_EQ(list.exit_code, 3) << list.err;
  EXPECT_NE(list.out.find(manifest + " is a FIFO, not a regular file"), std::string::npos)
      << list.out;
  verify = RunZb({"verify", "--target", "file://" + target_});
  EXPECT_EQ(verify.exit_code, 3) << verify.err;
  // Unreadable, so damaged: named, and kept with its data.
  EXPECT_NE(
      verify.out.find("verify FAILED: file://" + target_ + " " + id + ": damaged: " + manifest +
                      " is a FIFO, not a regular file; kept with its data " + id + ".db.zst\n"),
      std::string::npos)
      << verify.out;
  verify = RunZb({"verify", id, "--target", "file://" + target_});
  EXPECT_EQ(verify.exit_code, 3) << verify.err;
  EXPECT_EQ(verify.out, "verify FAILED: file://" + target_ + " " + id + ": " + manifest +
                            " is a FIFO, not a regular file\n");
  restore = RunZb({"restore", id, "--target", "file://" + target_, "--to", dir_ / "r.db"});
  ExpectRefused(restore, 3,
                "ziti-backup: corruption: " + manifest + " is a FIFO, not a regular file");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "r.db"));
}

// The target's lock file as a FIFO: the lock cannot be taken (the target
// fails), and nothing waits for a writer.
TEST_F(OddFilesTest, FifoAsTheTargetLockFailsTheTarget) {
  std::filesystem::create_directory(target_);
  const std::string lock = target_ + "/.ziti-backup.lock";
  ASSERT_EQ(::mkfifo(lock.c_str(), 0600), 0);
  auto backup = RunZb({"backup", "--db", db_, "--target", "file://" + target_});
  EXPECT_EQ(backup.exit_code, 1) << backup.err;
  EXPECT_NE(backup.err.find(lock + " is a FIFO, not a regular file"), std::string::npos)
      << backup.err;
  auto prune = RunZb({"prune", "--target", "file://" + target_});
  ExpectRefused(prune, 2, Fifo(lock));
}

}  // namespace
}  // namespace zb
