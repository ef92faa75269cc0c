// ParseTargetUrl: a target as an operator writes it, to what it names.
// Pure; thread-safe. Every error names the URL and says what is accepted.
//   file:///var/backups/ziti           a local directory (absolute path)
//   file://localhost/var/backups/ziti  the same (RFC 8089)
//   file:///mnt/my%20disk              percent-escapes are decoded
// Refused: another host, a relative path, "." or ".." segments, the root
// directory, a query or fragment, control characters (raw or escaped), bad
// escapes, and schemes this version does not store to.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace zb::store {

struct TargetUrl {
  std::string scheme;  // "file"
  std::string path;    // file: the absolute directory, decoded, no trailing '/'
  bool operator==(const TargetUrl&) const = default;
};

Result<TargetUrl> ParseTargetUrl(std::string_view url);

}  // namespace zb::store
