#include "net/http_message.h"

#include <algorithm>
#include <cctype>

namespace zb::net {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// IPv6 literals need brackets wherever a port follows.
std::string BracketedHost(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

}  // namespace

std::string HostPort(const HttpEndpoint& endpoint) {
  return BracketedHost(endpoint.host) + ":" + std::to_string(endpoint.port);
}

std::string HostHeader(const HttpEndpoint& endpoint) {
  const uint16_t default_port = endpoint.scheme == "http" ? 80 : 443;
  if (endpoint.port == default_port) return BracketedHost(endpoint.host);
  return HostPort(endpoint);
}

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return std::nullopt;
}

}  // namespace zb::net
