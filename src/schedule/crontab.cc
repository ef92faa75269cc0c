#include "schedule/crontab.h"

#include <cctype>

namespace zb::schedule {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits off the first whitespace-separated word of `s`.
std::string_view NextWord(std::string_view& s) {
  s = Trim(s);
  size_t end = 0;
  while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end]))) ++end;
  std::string_view word = s.substr(0, end);
  s.remove_prefix(end);
  return word;
}

// "NAME = value": the name's length if the line is an assignment, else 0.
size_t AssignmentName(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (std::isalnum(static_cast<unsigned char>(line[n])) || line[n] == '_')) {
    ++n;
  }
  if (n == 0 || std::isdigit(static_cast<unsigned char>(line[0]))) return 0;
  std::string_view rest = Trim(line.substr(n));
  return !rest.empty() && rest.front() == '=' ? n : 0;
}

std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

}  // namespace

Result<std::vector<CrontabEntry>> ParseCrontab(std::string_view text, const Zone& default_zone) {
  std::vector<CrontabEntry> entries;
  std::vector<std::string> env;
  Zone zone = default_zone;
  int number = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    const std::string_view line = Trim(raw);
    const std::string where = "line " + std::to_string(number) + ": ";
    if (line.empty() || line.front() == '#') continue;

    if (size_t n = AssignmentName(line); n > 0) {
      const std::string name(line.substr(0, n));
      std::string_view rest = Trim(line.substr(n));
      const std::string value = Unquote(Trim(rest.substr(1)));
      if (name == "CRON_TZ") {
        auto loaded = Zone::Load(value);
        if (!loaded.ok()) return loaded.status().WithContext(where + "CRON_TZ");
        zone = *loaded;
        continue;
      }
      std::erase_if(env, [&](const std::string& kv) { return kv.rfind(name + "=", 0) == 0; });
      env.push_back(name + "=" + value);
      continue;
    }

    // The schedule: "@every <duration>", another macro, or five fields.
    std::string_view rest = line;
    std::string expression(NextWord(rest));
    const int more = expression == "@every" ? 1 : expression.front() == '@' ? 0 : 4;
    for (int i = 0; i < more; ++i) {
      std::string_view word = NextWord(rest);
      if (word.empty()) break;
      expression += " " + std::string(word);
    }
    auto schedule = Schedule::Parse(expression);
    if (!schedule.ok()) return schedule.status().WithContext(where.substr(0, where.size() - 2));
    const std::string_view command = Trim(rest);
    if (command.empty()) {
      return Status::InvalidArgument(where + "no command after the schedule \"" + expression +
                                     "\"");
    }
    entries.push_back({number, std::string(line), *schedule, std::string(command), env, zone});
  }
  if (entries.empty()) {
    return Status::InvalidArgument("no jobs: every line is empty, a comment or NAME=value");
  }
  return entries;
}

Result<std::vector<CrontabEntry>> ReadCrontab(Env& env, const std::string& path,
                                              const Zone& default_zone) {
  auto text = ReadSmallFile(env, path, 1 << 20);
  auto entries = text.ok() ? ParseCrontab(*text, default_zone)
                           : Result<std::vector<CrontabEntry>>(text.status());
  if (!entries.ok()) return Status::InvalidArgument(path + ": " + entries.status().message());
  return entries;
}

}  // namespace zb::schedule
