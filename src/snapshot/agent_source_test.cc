#include "snapshot/agent_source.h"

#include <gtest/gtest.h>

namespace zb::snapshot {
namespace {

TEST(SplitCommandTest, SplitsOnBlanksAndGroupsQuotedWords) {
  EXPECT_EQ(*SplitCommand("ziti agent controller snapshot-db {out}"),
            (std::vector<std::string>{"ziti", "agent", "controller", "snapshot-db", "{out}"}));
  EXPECT_EQ(*SplitCommand("  sh -c \"cp a $0\"\t{out} "),
            (std::vector<std::string>{"sh", "-c", "cp a $0", "{out}"}));
  EXPECT_EQ(*SplitCommand("x \"\""), (std::vector<std::string>{"x", ""}));
}

TEST(SplitCommandTest, RejectsEmptyAndUnbalanced) {
  EXPECT_EQ(SplitCommand("  ").status().message(), "agent command is empty");
  EXPECT_EQ(SplitCommand("sh -c \"x").status().message(),
            "agent command has an unbalanced quote: sh -c \"x");
}

}  // namespace
}  // namespace zb::snapshot
