#include "store/target_url.h"

#include <cstdio>

namespace zb::store {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Result<TargetUrl> ParseTargetUrl(std::string_view url) {
  // The URL is echoed in errors: never with its control characters.
  std::string shown;
  for (unsigned char c : url) {
    if (IsControl(c)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      shown += buf;
    } else {
      shown += static_cast<char>(c);
    }
  }
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid target \"" + shown + "\": " + why +
                                   " (use file:///absolute/dir)");
  };
  for (unsigned char c : url) {
    if (IsControl(c)) return bad("it contains a control character");
  }
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return bad("no scheme");
  const std::string scheme = Lower(url.substr(0, colon));
  if (scheme == "s3" || scheme == "azblob") {
    return bad(scheme + ":// targets are not supported by this version");
  }
  if (scheme != "file") return bad("unknown scheme \"" + scheme + "\"");
  std::string_view rest = url.substr(colon + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return bad("a file:// target has no query or fragment ('?' or '#'; escape them as %3F, %23)");
  }
  const size_t slash = rest.find('/');
  const std::string host = Lower(rest.substr(0, slash));
  if (slash == std::string_view::npos || (!host.empty() && host != "localhost")) {
    return bad(host.empty() || slash == std::string_view::npos
                   ? "the path must be absolute"
                   : "host \"" + host + "\" is not this machine; a file:// target is local");
  }
  std::string path;
  for (size_t i = slash; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '%') {
      const int hi = i + 2 < rest.size() ? HexValue(rest[i + 1]) : -1;
      const int lo = hi >= 0 ? HexValue(rest[i + 2]) : -1;
      if (lo < 0) return bad("\"%\" must start an escape of two hex digits");
      c = static_cast<char>(hi * 16 + lo);
      if (IsControl(static_cast<unsigned char>(c))) {
        return bad("an escape decodes to a control character");
      }
      i += 2;
    }
    path += c;
  }
  // One spelling per directory: no empty, "." or ".." segments.
  std::string clean;
  for (size_t pos = 0; pos < path.size();) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    const std::string_view segment = std::string_view(path).substr(pos, end - pos);
    if (segment == "." || segment == "..") {
      return bad("\".\" and \"..\" are not allowed in the path; write the directory plainly");
    }
    if (!segment.empty()) clean += "/" + std::string(segment);
    pos = end + 1;
  }
  if (clean.empty()) return bad("the root directory cannot be a target");
  return TargetUrl{"file", clean};
}

}  // namespace zb::store
