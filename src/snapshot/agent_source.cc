#include "snapshot/agent_source.h"

#include <unistd.h>

#include "snapshot/quiescent_copy.h"

namespace zb::snapshot {

Result<std::vector<std::string>> SplitCommand(const std::string& command) {
  std::vector<std::string> argv;
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : command) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if ((c == ' ' || c == '\t') && !quoted) {
      if (in_word) argv.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) return Status::InvalidArgument("agent command has an unbalanced quote: " + command);
  if (in_word) argv.push_back(std::move(word));
  if (argv.empty()) return Status::InvalidArgument("agent command is empty");
  return argv;
}

Result<Image> AgentSource::Take(WritableFile& out) {
  // A run file, so a later backup removes it if this process dies first.
  const std::string agent_file = dir_ + "/" + std::string(kRunFilePrefix) +
                                 std::to_string(::getpid()) + "-agent-" + RandomSuffix() + ".db";
  struct Cleanup {
    Env& env;
    const std::string& path;
    ~Cleanup() { env.Remove(path).IgnoreError(); }
  } cleanup{env_, agent_file};

  ProcessSpec spec;
  spec.argv = ExpandArgv(options_.argv_template, agent_file);
  spec.timeout = options_.timeout;
  ZB_ASSIGN_OR_RETURN(ProcessResult r, env_.RunProcess(spec));
  const std::string command = spec.argv[0];
  if (r.timed_out || r.term_signal != 0 || r.exit_code != 0) {
    std::string tail = r.output.size() > 512 ? r.output.substr(r.output.size() - 512) : r.output;
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
    Status s = r.timed_out   ? Status::Timeout("")
               : r.cancelled ? Status::Aborted("")
                             : Status::IOError("");
    return Status(s.code(), "agent command " + command + " " +
                                DescribeOutcome(r, options_.timeout) +
                                (tail.empty() ? "" : ": " + tail));
  }
  auto src = env_.OpenForRead(agent_file);
  if (!src.ok()) {
    return Status::IOError("agent command " + command + " succeeded but wrote no file at " +
                           agent_file + ": " + src.status().message());
  }
  auto image = CopyQuiescent(env_, **src, out, scrub_);
  if (!image.ok()) {
    return Status(image.status().code(),
                  "agent command " + command +
                      " wrote a file that is not a usable bbolt DB: " + image.status().message());
  }
  image->method = "agent";
  return image;
}

}  // namespace zb::snapshot
