// A target that fills up: the backup fails (exit 1) naming the target and
// the cause, the older snapshot stays intact and verifiable, no partial
// file is left, and nothing is pruned. The target is a real size-limited
// tmpfs (needs root, as CI and the dev machines have).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "testutil/run.h"

namespace zb {
namespace {

TEST(DiskFullTest, FullTargetFailsCleanlyAndKeepsTheOlderSnapshot) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
  testing::TempDir dir;
  const std::string db = dir / "ctrl-ha.db", target = dir / "small";
  std::filesystem::create_directory(target);
  auto mounted =
      testing::Run({"mount", "-t", "tmpfs", "-o", "size=1500k,mode=0700", "tmpfs", target});
  ASSERT_EQ(mounted.exit_code, 0) << mounted.err;
  struct Unmount {
    std::string path;
    ~Unmount() { testing::Run({"umount", path}); }
  } unmount{target};

  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "4MiB", "--churn"}).exit_code, 0);
  const std::vector<std::string> keep_one{"--keep-last",    "1", "--keep-hourly", "0",
                                          "--keep-daily",   "0", "--keep-weekly", "0",
                                          "--keep-monthly", "0"};
  std::vector<std::string> args{"backup", "--db", db, "--target", "file://" + target};
  args.insert(args.end(), keep_one.begin(), keep_one.end());
  auto first = testing::RunZb(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto before = testing::ListDir(target);
  ASSERT_EQ(before.size(), 3u);  // lock, data, manifest

  // The DB grows past what is left on the target.
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "16MiB", "--seed", "9"}).exit_code,
            0);
  auto full = testing::RunZb(args);
  EXPECT_EQ(full.exit_code, 1) << full.out << full.err;
  EXPECT_NE(
      full.err.find("ziti-backup: I/O error: no target took the backup: file://" + target + ": "),
      std::string::npos)
      << full.err;
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  EXPECT_EQ(testing::ListDir(target), before) << "no partial files, nothing pruned";
  auto verify = testing::RunZb({"verify", "--all", "--target", "file://" + target});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_EQ(testing::ListDir(dir.path()), (std::vector<std::string>{"ctrl-ha.db", "small"}));
}

}  // namespace
}  // namespace zb
