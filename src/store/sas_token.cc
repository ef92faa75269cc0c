#include "store/sas_token.h"

#include <algorithm>

namespace zb::store {

namespace {

Status Invalid(std::string_view why) {
  return Status::InvalidArgument("the SAS token (not shown) is not a query string: " +
                                 std::string(why));
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 query characters but '&' and '=', which delimit the pairs, '%',
// which starts an escape, and '?', which no SAS holds.
bool IsQueryChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~!$'()*+,;:@/").find(c) != std::string_view::npos;
}

}  // namespace

Result<std::string> NormalizeSasToken(std::string_view token) {
  if (!token.empty() && token[0] == '?') token.remove_prefix(1);
  if (token.empty()) return Invalid("it is empty");
  if (token.find("://") != std::string_view::npos) {
    return Invalid("it is a whole URL; give only the part after '?'");
  }
  bool has_sig = false;
  size_t start = 0;
  while (start <= token.size()) {
    const size_t end = std::min(token.find('&', start), token.size());
    const std::string_view pair = token.substr(start, end - start);
    const size_t eq = pair.find('=');
    if (eq == 0 || eq == std::string_view::npos) {
      return Invalid("every part between '&' must be name=value");
    }
    if (pair.substr(0, eq) == "sig") has_sig = true;
    for (size_t i = 0; i < pair.size(); ++i) {
      const char c = pair[i];
      if (c == '%') {
        if (i + 2 >= pair.size() || !IsHex(pair[i + 1]) || !IsHex(pair[i + 2])) {
          return Invalid("a '%' does not start an escape of two hex digits");
        }
        i += 2;
      } else if (c != '=' && !IsQueryChar(c)) {
        return Invalid("it holds a space, '#', a control byte or another byte a URL cannot hold");
      }
    }
    start = end + 1;
  }
  if (!has_sig) return Invalid("it has no sig= parameter");
  return std::string(token);
}

}  // namespace zb::store
