#include "snapshot/agent_output.h"

#include <vector>

namespace zb::snapshot {
namespace {

constexpr size_t kMaxLine = 300;

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool IsErrorLine(std::string_view line) {
  return line.starts_with("Error: ") || line.starts_with("error: ");
}

}  // namespace

std::string ZitiErrorLine(std::string_view output) {
  std::string_view found;
  for (std::string_view line : Lines(output)) {
    if (IsErrorLine(line)) {
      found = line.substr(7);
      break;
    }
    if (!line.empty()) found = line;
  }
  return std::string(found.substr(0, kMaxLine));
}

bool RestoreFromDbTook(std::string_view output, std::string_view file) {
  bool took = false;
  for (std::string_view line : Lines(output)) {
    if (IsErrorLine(line)) return false;
    if (line == "success, initialized from [" + std::string(file) + "]") took = true;
  }
  return took;
}

std::string_view ControllerPathToken(std::string_view path) {
  // DB_DIR and DB_FILE before DATE would not matter: any one is enough.
  for (std::string_view token : {"DATE", "TIME", "DB_DIR", "DB_FILE", "RAFT_INDEX"}) {
    if (path.find(token) != std::string_view::npos) return token;
  }
  return "";
}

}  // namespace zb::snapshot
