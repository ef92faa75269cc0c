// Running an external program (the controller's `ziti agent ... snapshot-db`)
// from an argv, never through a shell, with a deadline. Types only; Env runs it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace zb {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH if it has no '/'
  std::chrono::milliseconds timeout{60000};
  size_t max_output = 64 * 1024;  // bytes of stdout/stderr kept (the tail)
};

struct ProcessResult {
  int exit_code = -1;      // valid when !signaled
  int term_signal = 0;     // nonzero if killed by a signal
  bool timed_out = false;  // killed by us at the deadline (SIGTERM, then SIGKILL)
  std::string output;      // combined stdout+stderr, truncated to max_output
};

// Replaces every "{out}" in each argument of `argv_template` with `out`.
std::vector<std::string> ExpandArgv(const std::vector<std::string>& argv_template,
                                    const std::string& out);

// "exit status 3", "killed by signal 9", "timed out after 5s".
std::string DescribeOutcome(const ProcessResult& r, std::chrono::milliseconds timeout);

}  // namespace zb
