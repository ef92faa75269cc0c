// Running an external program (the controller's `ziti agent ... snapshot-db`,
// a crontab line's `/bin/sh -c`) from an argv, with a deadline and a cancel
// token. Types only; Env runs it.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace zb {

struct ProcessSpec {
  std::vector<std::string> argv;             // argv[0] is looked up in PATH if it has no '/'
  std::chrono::milliseconds timeout{60000};  // 0: no deadline
  size_t max_output = 64 * 1024;             // bytes of stdout/stderr kept (the tail)
  // Added to (or replacing in) the inherited environment: "NAME=value".
  std::vector<std::string> extra_env;
  // Each line of combined stdout+stderr as it arrives (without '\n').
  std::function<void(std::string_view line)> on_line;
  // Requested: the command's process group gets SIGTERM, then SIGKILL after
  // `term_grace`, as at the deadline.
  std::stop_token cancel;
  std::chrono::milliseconds term_grace{2000};
};

struct ProcessResult {
  int exit_code = -1;      // valid when !signaled
  int term_signal = 0;     // nonzero if killed by a signal
  bool timed_out = false;  // killed by us at the deadline (SIGTERM, then SIGKILL)
  bool cancelled = false;  // stopped by us through `cancel`
  std::string output;      // combined stdout+stderr, truncated to max_output
};

// Replaces every `placeholder` in each argument of `argv_template` with
// `out`.
std::vector<std::string> ExpandArgv(const std::vector<std::string>& argv_template,
                                    const std::string& out, std::string_view placeholder = "{out}");

// "exit status 3", "killed by signal 9", "timed out after 5s".
std::string DescribeOutcome(const ProcessResult& r, std::chrono::milliseconds timeout);

}  // namespace zb
