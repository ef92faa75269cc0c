#include "env/process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "env/env.h"

namespace zb {
namespace {

using namespace std::chrono_literals;

ProcessSpec Spec(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.timeout = timeout;
  return spec;
}

TEST(ProcessTest, ExpandArgvReplacesEveryPlaceholder) {
  EXPECT_EQ(ExpandArgv({"ziti", "agent", "--out={out}", "{out}.{out}"}, "/x"),
            (std::vector<std::string>{"ziti", "agent", "--out=/x", "/x./x"}));
}

TEST(ProcessTest, RunsWithoutAShellAndCapturesOutput) {
  auto env = NewPosixEnv();
  auto r = env->RunProcess(Spec({"echo", "a b", "$HOME;"}, 5000ms));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->output, "a b $HOME;\n");
  auto f = env->RunProcess(Spec({"sh", "-c", "echo oops >&2; exit 3"}, 5000ms));
  EXPECT_EQ(f->exit_code, 3);
  EXPECT_EQ(f->output, "oops\n");
  EXPECT_EQ(DescribeOutcome(*f, 5000ms), "exit status 3");
}

TEST(ProcessTest, KillsTheWholeGroupAtTheDeadline) {
  auto env = NewPosixEnv();
  // Killed at the deadline, not waited for: far sooner than the sleeps
  // would end (a bound a loaded machine cannot reach, not a speed test).
  auto start = std::chrono::steady_clock::now();
  auto r = env->RunProcess(Spec({"sh", "-c", "sleep 600 & sleep 600"}, 300ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 300s);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(DescribeOutcome(*r, 300ms), "timed out after 300ms and was killed");
}

TEST(ProcessTest, MissingProgramIsAnError) {
  auto env = NewPosixEnv();
  auto r = env->RunProcess(Spec({"/nonexistent/zb-agent"}, 1000ms));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "run /nonexistent/zb-agent: No such file or directory");
}

TEST(ProcessTest, ExtraEnvironmentLinesAndNoDeadline) {
  auto env = NewPosixEnv();
  ::setenv("ZB_PROCESS_TEST_KEPT", "kept", 1);
  ::setenv("ZB_PROCESS_TEST_REPLACED", "old", 1);
  ProcessSpec spec = Spec({"sh", "-c",
                           "echo $ZB_PROCESS_TEST_KEPT $ZB_PROCESS_TEST_REPLACED; echo two >&2; "
                           "printf 'no newline'"},
                          0ms);
  spec.extra_env = {"ZB_PROCESS_TEST_REPLACED=new"};
  std::vector<std::string> lines;
  spec.on_line = [&](std::string_view line) { lines.emplace_back(line); };
  auto r = env->RunProcess(spec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(lines, (std::vector<std::string>{"kept new", "two", "no newline"}));
  EXPECT_EQ(r->output, "kept new\ntwo\nno newline");
}

// Cancel: SIGTERM to the group; a command that traps it gets to finish its
// cleanup, one that ignores it is killed after term_grace.
TEST(ProcessTest, CancelSendsSigtermThenSigkill) {
  auto env = NewPosixEnv();
  for (bool ignores : {false, true}) {
    std::stop_source cancel;
    ProcessSpec spec = Spec({"sh", "-c",
                             ignores ? "trap '' TERM; echo started; while :; do sleep 0.05; done"
                                     : "trap 'echo cleaned; exit 7' TERM; echo started; "
                                       "while :; do sleep 0.05; done"},
                            0ms);
    spec.cancel = cancel.get_token();
    spec.term_grace = 300ms;
    spec.on_line = [&](std::string_view line) {
      if (line == "started") cancel.request_stop();
    };
    auto r = env->RunProcess(spec);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->cancelled);
    EXPECT_FALSE(r->timed_out);
    if (ignores) {
      EXPECT_EQ(r->term_signal, SIGKILL);
    } else {
      EXPECT_EQ(r->exit_code, 7);
      // (sh may also report its killed `sleep` as "Terminated" in between.)
      EXPECT_EQ(r->output.rfind("started\n", 0), 0u) << r->output;
      EXPECT_TRUE(r->output.ends_with("\ncleaned\n")) << r->output;
    }
    EXPECT_EQ(DescribeOutcome(*r, 0ms), "was stopped");
  }
}

}  // namespace
}  // namespace zb
