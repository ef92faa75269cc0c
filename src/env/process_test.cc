#include "env/process.h"

#include <gtest/gtest.h>

#include "env/env.h"

namespace zb {
namespace {

using namespace std::chrono_literals;

TEST(ProcessTest, ExpandArgvReplacesEveryPlaceholder) {
  EXPECT_EQ(ExpandArgv({"ziti", "agent", "--out={out}", "{out}.{out}"}, "/x"),
            (std::vector<std::string>{"ziti", "agent", "--out=/x", "/x./x"}));
}

TEST(ProcessTest, RunsWithoutAShellAndCapturesOutput) {
  auto env = NewPosixEnv();
  auto r = env->RunProcess({{"echo", "a b", "$HOME;"}, 5000ms});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->output, "a b $HOME;\n");
  auto f = env->RunProcess({{"sh", "-c", "echo oops >&2; exit 3"}, 5000ms});
  EXPECT_EQ(f->exit_code, 3);
  EXPECT_EQ(f->output, "oops\n");
  EXPECT_EQ(DescribeOutcome(*f, 5000ms), "exit status 3");
}

TEST(ProcessTest, KillsTheWholeGroupAtTheDeadline) {
  auto env = NewPosixEnv();
  auto start = std::chrono::steady_clock::now();
  auto r = env->RunProcess({{"sh", "-c", "sleep 30 & sleep 30"}, 300ms});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(DescribeOutcome(*r, 300ms), "timed out after 300ms and was killed");
}

TEST(ProcessTest, MissingProgramIsAnError) {
  auto env = NewPosixEnv();
  auto r = env->RunProcess({{"/nonexistent/zb-agent"}, 1000ms});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "run /nonexistent/zb-agent: No such file or directory");
}

}  // namespace
}  // namespace zb
