// AgentSource: asks the running controller for a snapshot, by running a
// command such as `ziti agent controller snapshot-db {out}` (an argv
// template run without a shell, with a timeout). The controller writes its
// file without fsync or rename, so the file is treated as untrusted: it is
// validated and copied like a cold file, then removed. With a fallback
// (method auto), an agent that cannot make a file (the controller allows
// one snapshot-db per minute, the command is missing, the DB's directory
// holds a name the controller rewrites) is logged through `on_fallback` and
// the fallback source takes the snapshot instead.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "snapshot/source.h"

namespace zb::snapshot {

struct AgentOptions {
  std::vector<std::string> argv_template;  // "{out}" is replaced by the file to write
  std::chrono::milliseconds timeout{60000};
  // Called with the agent's error before the fallback source is used.
  std::function<void(const Status&)> on_fallback;
};

// Splits a command line on spaces and tabs into an argv template. Double
// quotes group words ("a b"); there is no other shell syntax. Errors name
// the text (unbalanced quote, empty).
Result<std::vector<std::string>> SplitCommand(const std::string& command);

class AgentSource final : public Source {
 public:
  // The controller writes its file into `dir`: the DB's directory, which it
  // can write to.
  AgentSource(Env& env, AgentOptions options, std::string dir,
              std::unique_ptr<Source> fallback = nullptr)
      : env_(env),
        options_(std::move(options)),
        dir_(std::move(dir)),
        fallback_(std::move(fallback)) {}
  Result<Image> Take(WritableFile& out) override;

 private:
  // Runs the command; `file` opened when it exited 0 having written it.
  Result<std::unique_ptr<RandomAccessFile>> RunAgent(const std::string& file);

  Env& env_;
  AgentOptions options_;
  std::string dir_;
  std::unique_ptr<Source> fallback_;
};

}  // namespace zb::snapshot
