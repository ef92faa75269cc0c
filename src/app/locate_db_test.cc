#include "app/locate_db.h"

#include <gtest/gtest.h>

#include <map>

#include "testutil/run.h"

namespace zb::app {
namespace {

class LocateDbTest : public ::testing::Test {
 protected:
  GetEnv Vars() {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
  }
  Result<std::string> Locate(const std::string& db = "", const std::string& config = "") {
    return LocateDb(*env_, db, config, Vars());
  }
  testing::TempDir dir_;
  std::unique_ptr<Env> env_ = NewPosixEnv();
  std::map<std::string, std::string> vars_;
};

TEST_F(LocateDbTest, FlagWins) { EXPECT_EQ(*Locate("/data/x.db"), "/data/x.db"); }

TEST_F(LocateDbTest, HaControllerUsesClusterDataDirEvenWithDb) {
  vars_["ZITI_HOME"] = dir_.path();
  testing::WriteFileOrDie(dir_ / "config.yml",
                          "v: 3\ndb: ./old.db\ncluster:\n  dataDir: ${ZITI_HOME}/raft/\n");
  EXPECT_EQ(*Locate(), dir_ / "raft/ctrl-ha.db");
}

// The quickstart's name, found from ZITI_HOME alone; config.yml (the image's
// and the package's) wins when both are there.
TEST_F(LocateDbTest, ZitiHomeAloneFindsTheKnownConfigNames) {
  vars_["ZITI_HOME"] = dir_.path();
  testing::WriteFileOrDie(dir_ / "ctrl.yaml", "v: 3\ndb: db/ctrl.db\n");
  EXPECT_EQ(*Locate(), dir_ / "db/ctrl.db");
  testing::WriteFileOrDie(dir_ / "config.yml", "v: 3\ndb: other.db\n");
  EXPECT_EQ(*Locate(), dir_ / "other.db");
}

TEST_F(LocateDbTest, LegacyDbRelativeToTheConfigAndDollarVariables) {
  testing::WriteFileOrDie(dir_ / "ctrl.yml", "v: 3\ndb: data/$DBNAME.db\n");
  vars_["DBNAME"] = "ctrl";
  EXPECT_EQ(*Locate("", dir_ / "ctrl.yml"), dir_ / "data/ctrl.db");
}

TEST_F(LocateDbTest, ErrorsListWhatWasTried) {
  EXPECT_EQ(Locate().status().message(),
            "cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not set; no controller config "
            "(--ctrl-config / ZITI_CTRL_BACKUP_CTRL_CONFIG is not set, nor ZITI_HOME to look "
            "for a config in)");
  vars_["ZITI_HOME"] = dir_ / "nope";
  EXPECT_EQ(Locate().status().message(),
            "cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not set; no controller config in "
            "$ZITI_HOME (" +
                dir_ / "nope" +
                "): tried config.yml, config.yaml, ctrl.yaml, ctrl.yml, ctrl-config.yml, "
                "ctrl-config.yaml (name it with --ctrl-config / ZITI_CTRL_BACKUP_CTRL_CONFIG)");
  EXPECT_EQ(Locate("", dir_ / "nope/config.yml").status().message(),
            "cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not set; controller config " +
                dir_ / "nope/config.yml" + ": open " + dir_ / "nope/config.yml" +
                ": No such file or directory");
  testing::WriteFileOrDie(dir_ / "c.yml", "v: 3\nctrl:\n  listener: tls:0.0.0.0:6262\n");
  EXPECT_EQ(Locate("", dir_ / "c.yml").status().message(),
            "cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not set; controller config " +
                dir_ / "c.yml" + " has neither cluster.dataDir nor db");
  testing::WriteFileOrDie(dir_ / "bad.yml", "db: [unclosed\n");
  auto bad = Locate("", dir_ / "bad.yml");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind(
                "controller config " + dir_ / "bad.yml" + " is not valid YAML: ", 0),
            0u)
      << bad.status().message();
}

TEST(ExpandVariablesTest, BracesBareAndUnknown) {
  GetEnv env = [](const std::string& n) -> std::optional<std::string> {
    if (n == "A") return std::string("x");
    return std::nullopt;
  };
  EXPECT_EQ(ExpandVariables("${A}/$A/$B/${B}/$/end$", env), "x/x///$/end$");
}

}  // namespace
}  // namespace zb::app
