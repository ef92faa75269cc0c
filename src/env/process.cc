#include "env/process.h"

namespace zb {

std::vector<std::string> ExpandArgv(const std::vector<std::string>& argv_template,
                                    const std::string& out, std::string_view placeholder) {
  std::vector<std::string> argv;
  argv.reserve(argv_template.size());
  for (std::string arg : argv_template) {
    for (size_t pos = 0; (pos = arg.find(placeholder, pos)) != std::string::npos;
         pos += out.size()) {
      arg.replace(pos, placeholder.size(), out);
    }
    argv.push_back(std::move(arg));
  }
  return argv;
}

std::string DescribeOutcome(const ProcessResult& r, std::chrono::milliseconds timeout) {
  if (r.timed_out) {
    return "timed out after " + std::to_string(timeout.count()) + "ms and was killed";
  }
  if (r.cancelled) return "was stopped";
  if (r.term_signal != 0) return "killed by signal " + std::to_string(r.term_signal);
  return "exit status " + std::to_string(r.exit_code);
}

}  // namespace zb
