#include "app/log.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace zb::app {

Result<LogFormat> ParseLogFormat(const std::string& text) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return Status::InvalidArgument("log format \"" + text + "\" is neither text nor json");
}

void Log::Event(std::string_view event, const Fields& fields) {
  std::string line;
  const std::string time = FormatRfc3339(clock_.Now());
  if (format_ == LogFormat::kJson) {
    nlohmann::ordered_json j;
    j["time"] = time;
    j["event"] = event;
    for (const auto& [k, v] : fields) j[k] = v;
    line = j.dump();
  } else {
    line = time + " " + std::string(event);
    for (const auto& [k, v] : fields) {
      const bool quote = v.empty() || v.find_first_of(" \"=") != std::string::npos;
      line += " " + k + "=" + (quote ? nlohmann::json(v).dump() : v);
    }
  }
  Write(line);
}

void Log::Output(std::string_view job, std::string_view text) {
  if (format_ == LogFormat::kJson) {
    Event("job.output", {{"job", std::string(job)}, {"line", std::string(text)}});
    return;
  }
  Write(FormatRfc3339(clock_.Now()) + " [" + std::string(job) + "] " + std::string(text));
}

void Log::Write(const std::string& line) {
  std::lock_guard lock(mu_);
  out_ << line << "\n" << std::flush;
}

}  // namespace zb::app
