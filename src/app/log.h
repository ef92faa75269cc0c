// Log: one line per event (spec §9) on a stream, for people (text) or for
// machines (json), e.g.
//   2026-06-25T00:04:36Z backup.start db=/ziti-controller/ctrl-ha.db targets=1
//   {"time":"2026-06-25T00:04:36Z","event":"backup.start","db":"...","targets":"1"}
// Values are strings; callers never pass secrets. Thread-safe.
#pragma once

#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "env/clock.h"

namespace zb::app {

enum class LogFormat { kText, kJson };

// "text" or "json"; kInvalidArgument naming the value otherwise.
Result<LogFormat> ParseLogFormat(const std::string& text);

class Log {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;
  Log(std::ostream& out, LogFormat format, Clock& clock)
      : out_(out), format_(format), clock_(clock) {}
  void Event(std::string_view event, const Fields& fields);
  // A line a job printed (a crontab command's output), tagged with the job:
  //   2026-06-25T00:04:36Z [crontab:3] backup ok: id=...
  //   {"time":"...","event":"job.output","job":"crontab:3","line":"backup ok: ..."}
  void Output(std::string_view job, std::string_view line);

 private:
  std::ostream& out_;
  const LogFormat format_;
  void Write(const std::string& line);

  Clock& clock_;
  std::mutex mu_;
};

}  // namespace zb::app
