#include "snapshot/agent_source.h"

#include "env/remove_on_exit.h"
#include "snapshot/agent_output.h"
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

Result<std::unique_ptr<RandomAccessFile>> AgentSource::RunAgent(const std::string& file) {
  const std::string command = options_.argv_template.front();
  if (std::string_view token = ControllerPathToken(file); !token.empty()) {
    return Status::InvalidArgument(
        "agent command " + command + " not run: the controller rewrites \"" + std::string(token) +
        "\" anywhere in the path it is given, and the file it would write, " + file +
        ", contains it (use --method hot, or a DB directory without that name)");
  }
  ProcessSpec spec;
  spec.argv = ExpandArgv(options_.argv_template, file);
  spec.timeout = options_.timeout;
  ZB_ASSIGN_OR_RETURN(ProcessResult r, env_.RunProcess(spec));
  if (r.timed_out || r.term_signal != 0 || r.exit_code != 0) {
    const std::string said = ZitiErrorLine(r.output);
    Status s = r.timed_out   ? Status::Timeout("")
               : r.cancelled ? Status::Aborted("")
                             : Status::IOError("");
    return Status(s.code(), "agent command " + command + " " +
                                DescribeOutcome(r, options_.timeout) +
                                (said.empty() ? "" : ": " + said));
  }
  auto opened = env_.OpenForRead(file);
  if (!opened.ok()) {
    return Status::IOError("agent command " + command + " succeeded but wrote no file at " + file +
                           ": " + opened.status().message());
  }
  return opened;
}

Result<Image> AgentSource::Take(WritableFile& out) {
  // A run file, so a later backup removes it if this process dies first.
  const std::string agent_file = RunFileName(dir_, env_.Pid(), "agent-" + RandomSuffix());
  RemoveOnExit cleanup(env_, agent_file);
  auto src = RunAgent(agent_file);
  if (!src.ok()) {
    if (fallback_ == nullptr || src.status().code() == Code::kAborted) return src.status();
    if (options_.on_fallback) options_.on_fallback(src.status());
    fallback_->ScrubWhileCopying(scrub_);
    return fallback_->Take(out);
  }
  auto image = CopyQuiescent(env_, **src, out, scrub_);
  if (!image.ok()) {
    return Status(image.status().code(),
                  "agent command " + options_.argv_template.front() +
                      " wrote a file that is not a usable bbolt DB: " + image.status().message());
  }
  image->method = "agent";
  return image;
}

}  // namespace zb::snapshot
