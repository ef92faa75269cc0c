#include "store/aws_ini.h"

#include "store/http_text.h"

namespace zb::store {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<AwsIni> ParseAwsIni(std::string_view text, std::string_view file) {
  AwsIni out;
  std::map<std::string, std::string>* section = nullptr;
  std::string parent;  // the key of an open nested block ("s3"), else ""
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument(std::string(file) + " line " + std::to_string(line_no) + ": " +
                                     why);
    };
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (line.front() == '[') {
      if (line.back() != ']') return bad("a section header must end with ']'");
      section = &out[std::string(Trim(line.substr(1, line.size() - 2)))];
      parent.clear();
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return bad("expected \"key = value\"");
    if (section == nullptr) return bad("a setting before any [section]");
    const std::string key = AsciiLower(Trim(line.substr(0, eq)));
    const std::string_view value = Trim(line.substr(eq + 1));
    if (key.empty()) return bad("a setting without a name");
    if (indented && !parent.empty()) {
      (*section)[parent + "." + key] = std::string(value);
      continue;
    }
    parent = value.empty() ? key : "";
    if (!value.empty()) (*section)[key] = std::string(value);
  }
  return out;
}

}  // namespace zb::store
