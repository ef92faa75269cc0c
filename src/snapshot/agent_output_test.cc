#include "snapshot/agent_output.h"

#include <gtest/gtest.h>

namespace zb::snapshot {
namespace {

// As `ziti agent controller snapshot-db` v1.6.0 prints a refusal (exit 1).
constexpr std::string_view kRefused =
    "Error: may snapshot database at most once per minute\n"
    "Usage:\n"
    "  ziti agent controller snapshot-db <snapshot path> [flags]\n"
    "\n"
    "Flags:\n"
    "  -a, --app-alias string      Alias of host application to talk to\n"
    "      --timeout duration      Operation timeout (default 5s)\n"
    "\n"
    "\n"
    "may snapshot database at most once per minute\n";

TEST(ZitiErrorLineTest, TheErrorLineNotTheUsageText) {
  EXPECT_EQ(ZitiErrorLine(kRefused), "may snapshot database at most once per minute");
  // restore-from-db's own failures (it exits 0 after them).
  EXPECT_EQ(ZitiErrorLine("error: unable to open controller database [/d/x.db] (invalid "
                          "database)\n"),
            "unable to open controller database [/d/x.db] (invalid database)");
  EXPECT_EQ(ZitiErrorLine("something\nlast words \n\n"), "last words");
  EXPECT_EQ(ZitiErrorLine(""), "");
  EXPECT_EQ(ZitiErrorLine(std::string(1000, 'x')).size(), 300u);
}

TEST(RestoreFromDbTookTest, OnlyTheSuccessLineForThatFile) {
  EXPECT_TRUE(RestoreFromDbTook("success, initialized from [/d/side.db]\n", "/d/side.db"));
  EXPECT_FALSE(RestoreFromDbTook("success, initialized from [/d/other.db]\n", "/d/side.db"));
  EXPECT_FALSE(RestoreFromDbTook(
      "error: source db not found at [/d/side.db]: stat /d/side.db: no such file or directory\n",
      "/d/side.db"));
  EXPECT_FALSE(RestoreFromDbTook("", "/d/side.db"));
  EXPECT_FALSE(RestoreFromDbTook("success, initialized from [/d/side.db]\nError: something after\n",
                                 "/d/side.db"));
}

TEST(ControllerPathTokenTest, FindsEveryRewrittenToken) {
  EXPECT_EQ(ControllerPathToken("/var/lib/ziti-controller/raft/.ziti-backup-1-agent-0a1b2c.db"),
            "");
  EXPECT_EQ(ControllerPathToken("/srv/UPDATE/ctrl-ha.db"), "DATE");
  EXPECT_EQ(ControllerPathToken("/srv/RUNTIME/x.db"), "TIME");
  EXPECT_EQ(ControllerPathToken("/srv/__DB_DIR__/x.db"), "DB_DIR");
  EXPECT_EQ(ControllerPathToken("/srv/MY_DB_FILE/x.db"), "DB_FILE");
  EXPECT_EQ(ControllerPathToken("/srv/RAFT_INDEX/x.db"), "RAFT_INDEX");
  // The controller's replacements are case-sensitive.
  EXPECT_EQ(ControllerPathToken("/srv/update/date/x.db"), "");
}

}  // namespace
}  // namespace zb::snapshot
