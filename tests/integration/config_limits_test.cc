// A controller config (or our own config file) that is huge or nested
// deeper than any real one is refused at once with exit 2 naming the file:
// the size before reading it, the nesting before yaml-cpp, whose parser
// recurses once per level, sees it. Each run must return; the harness
// would time it out otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunZb;
using testing::TempDir;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

class ConfigLimitsTest : public ::testing::Test {
 protected:
  testing::RunResult Backup(const std::string& ctrl_config) {
    return RunZb({"backup", "--ctrl-config", ctrl_config, "--target", "file://" + dir_ / "t"});
  }
  TempDir dir_;
};

TEST_F(ConfigLimitsTest, HugeControllerConfigIsRefusedBeforeReadingIt) {
  const std::string big = dir_ / "config.yml";
  testing::WriteFileOrDie(big, "v: 3\n");
  std::filesystem::resize_file(big, 100 << 20);  // sparse: 100 MiB of zeroes after "v: 3"
  auto r = Backup(big);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "ziti-backup: invalid argument: cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not "
            "set; controller config " +
                big + ": " + big + " is 104857600 bytes, more than the 4194304 expected of it\n");
  auto validate = testing::Run({"env", "ZITI_HOME=" + dir_.path(), testing::ZbPath(), "daemon",
                                "--validate", "--target", "file://" + dir_ / "t"});
  EXPECT_EQ(validate.exit_code, 2);
  EXPECT_EQ(validate.err, r.err);
}

TEST_F(ConfigLimitsTest, DeeplyNestedControllerConfigIsRefused) {
  const std::string config = dir_ / "config.yml";
  const std::pair<std::string, std::string> shapes[] = {
      {"db: " + Repeat("[", 100000) + Repeat("]", 100000) + "\n", "line 1"},
      {"db: " + Repeat("{a: ", 100000) + "\n", "line 1"},
      {"v: 3\ncluster:\n" + Repeat("- ", 100000) + "x\n", "line 3"},
  };
  for (const auto& [text, where] : shapes) {
    testing::WriteFileOrDie(config, text);
    auto r = Backup(config);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "ziti-backup: invalid argument: controller config " + config +
                         " is nested more than 64 levels deep (" + where + ")\n");
  }
  // Block nesting by indentation, as deep as fits in 4 MiB.
  std::string indented;
  for (int i = 0; indented.size() + i + 3 < (4 << 20); ++i)
    indented += std::string(i, ' ') + "k:\n";
  testing::WriteFileOrDie(config, indented);
  auto r = Backup(config);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ziti-backup: invalid argument: controller config " + config +
                       " is nested more than 64 levels deep (line 65)\n");
}

TEST_F(ConfigLimitsTest, DeeplyNestedConfigFileIsRefused) {
  const std::string config = dir_ / "ziti-backup.yml";
  testing::WriteFileOrDie(config, "targets: " + Repeat("[", 100000) + "\n");
  auto r = RunZb({"--config", config, "list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ziti-backup: invalid argument: config file " + config +
                       " is nested more than 64 levels deep (line 1)\n");
}

}  // namespace
}  // namespace zb
