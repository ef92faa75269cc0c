#include "app/yaml_nesting.h"

#include <algorithm>
#include <string>
#include <vector>

namespace zb::app {
namespace {

// Where a quote or a flow collection may begin: at the start of a token.
bool TokenStart(std::string_view line, size_t i) {
  if (i == 0) return true;
  const char p = line[i - 1];
  return p == ' ' || p == '\t' || p == '[' || p == '{' || p == ',' || p == ':' || p == '-' ||
         p == '?';
}

// "|", ">", "|-", ">+2": a block scalar header, whose lines follow.
bool BlockScalarHeader(std::string_view token) {
  if (token.empty() || (token[0] != '|' && token[0] != '>')) return false;
  return token.find_first_not_of("-+0123456789", 1) == std::string_view::npos;
}

}  // namespace

Status CheckYamlNesting(std::string_view text, int max_depth) {
  std::vector<size_t> block;  // columns of the open block collections
  int flow = 0;
  char quote = 0;                 // '\'' or '"' while inside a quoted scalar
  long block_scalar_parent = -1;  // while skipping a block scalar's lines
  int line_no = 0;
  auto too_deep = [&] {
    return Status::InvalidArgument("nested more than " + std::to_string(max_depth) +
                                   " levels deep (line " + std::to_string(line_no) + ")");
  };
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t indent = std::min(line.find_first_not_of(' '), line.size());
    const bool blank = indent == line.size() || line[indent] == '#';
    if (block_scalar_parent >= 0) {
      if (blank || static_cast<long>(indent) > block_scalar_parent) continue;
      block_scalar_parent = -1;
    }
    if (blank && quote == 0) continue;
    size_t i = indent;
    if (quote == 0 && flow == 0) {
      if (line.substr(indent, 3) == "---" || line.substr(indent, 3) == "...") {
        if (indent == 0) block.clear();
      }
      while (!block.empty() && block.back() > indent) block.pop_back();
      if (block.empty() || block.back() < indent) block.push_back(indent);
      // Compact collections on one line: "- - x", "? - x".
      while (i < line.size() && (line[i] == '-' || line[i] == '?') &&
             (i + 1 == line.size() || line[i + 1] == ' ')) {
        i = std::min(line.find_first_not_of(' ', i + 1), line.size());
        if (i == line.size() || line[i] == '#') break;
        block.push_back(i);
        if (static_cast<int>(block.size()) > max_depth) return too_deep();
      }
      if (static_cast<int>(block.size()) > max_depth) return too_deep();
    }
    size_t last_token = std::string_view::npos;  // start of the line's last plain token
    for (; i < line.size(); ++i) {
      const char c = line[i];
      if (quote == '"') {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          quote = 0;
        }
        continue;
      }
      if (quote == '\'') {
        if (c == '\'') {
          if (i + 1 < line.size() && line[i + 1] == '\'') {
            ++i;
          } else {
            quote = 0;
          }
        }
        continue;
      }
      if (c == ' ' || c == '\t') continue;
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      const bool token_start = TokenStart(line, i);
      if (token_start) last_token = i;
      if ((c == '"' || c == '\'') && token_start) {
        quote = c;
      } else if ((c == '[' || c == '{') && token_start) {
        ++flow;
        if (static_cast<int>(block.size()) + flow > max_depth) return too_deep();
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
    }
    if (quote == 0 && flow == 0 && last_token != std::string_view::npos) {
      std::string_view token = line.substr(last_token);
      token = token.substr(0, token.find_first_of(" \t"));
      if (BlockScalarHeader(token)) block_scalar_parent = static_cast<long>(indent);
    }
  }
  return Status::OK();
}

}  // namespace zb::app
