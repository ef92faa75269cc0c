#include "store/endpoint_url.h"

#include <charconv>
#include <string>

#include "store/http_text.h"

namespace zb::store {

Result<net::HttpEndpoint> ParseEndpointUrl(std::string_view url) {
  net::HttpEndpoint e;
  const size_t sep = url.find("://");
  const std::string scheme = sep == std::string_view::npos ? "" : AsciiLower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidArgument("endpoint \"" + std::string(url) +
                                   "\" must start with https:// or http://");
  }
  e.scheme = scheme;
  e.port = scheme == "https" ? 443 : 80;
  std::string_view rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return Status::InvalidArgument("endpoint \"" + std::string(url) +
                                   "\" must be only scheme://host[:port], with no path, query or "
                                   "user");
  }
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("endpoint \"" + std::string(url) + "\": unclosed '['");
    }
    e.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return Status::InvalidArgument("endpoint \"" + std::string(url) + "\": junk after ']'");
    }
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const size_t colon = rest.rfind(':');
    e.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (e.host.empty()) {
    return Status::InvalidArgument("endpoint \"" + std::string(url) + "\" has no host");
  }
  if (!port.empty() || rest.find(':') != std::string_view::npos) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || p != port.data() + port.size() || value == 0 ||
        value > 65535) {
      return Status::InvalidArgument("endpoint \"" + std::string(url) +
                                     "\": the port must be 1 to 65535");
    }
    e.port = static_cast<uint16_t>(value);
  }
  return e;
}

}  // namespace zb::store
