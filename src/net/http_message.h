// The values an HttpClient exchanges: where to connect (HttpEndpoint), how
// long to wait and how much to accept (HttpOptions), what to send
// (HttpRequest) and what came back (HttpResponse). Plain values; the request
// borrows its body source from the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/stream.h"

namespace zb::net {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Every member has an initializer so that designated initializers may leave
// any out (g++ 12 warns otherwise).
struct HttpEndpoint {
  std::string scheme = "https";  // "http" or "https"
  std::string host{};            // a DNS name or an IP address (IPv6 without brackets)
  uint16_t port = 443;
  // PEM file of the CAs to trust; empty: the system store (OpenSSL's default
  // paths, then the usual distribution bundles, see tls_context.h).
  std::string ca_bundle{};
  // false turns off certificate and host name checks. Only for a test
  // server whose CA cannot be handed over; never the default.
  bool verify = true;
};

// "host:port" as errors name it ("[::1]:9000" for IPv6).
std::string HostPort(const HttpEndpoint& endpoint);
// The Host header the client sends unless the request sets one: the host,
// with ":port" unless it is the scheme's default. A request signer signs this
// exact value.
std::string HostHeader(const HttpEndpoint& endpoint);

struct HttpOptions {
  // TCP connect (every address the name resolves to) plus the TLS handshake.
  // DNS lookups are bounded by the system resolver's own timeouts
  // (resolv.conf), because getaddrinfo cannot be cancelled.
  std::chrono::milliseconds connect_timeout{10'000};
  // The longest one read or write may go without completing: a server that
  // stops answering (or reading) for this long is a kTimeout.
  std::chrono::milliseconds io_timeout{60'000};
  // Status line plus headers of a response; more is an error.
  size_t max_header_bytes = 64 * 1024;
  // Body kept of a non-2xx response (HttpResponse::error_body).
  size_t max_error_body = 64 * 1024;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // path?query, already percent-encoded
  // Sent as given, in order. The client adds Host (unless present here) and
  // Content-Length; Content-Length and Transfer-Encoding here are an error.
  HttpHeaders headers{};
  // Read from its current position; exactly `content_length` bytes are sent
  // (S3 refuses chunked uploads, so the length must be known up front).
  // nullptr: no body. The client never rewinds it: a retry is the caller's.
  ByteSource* body = nullptr;
  uint64_t content_length = 0;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers{};
  // The body of a non-2xx response, at most HttpOptions::max_error_body
  // bytes (the XML or JSON error of S3 and Azure). Empty for 2xx, whose body
  // went to the caller's sink.
  std::string error_body{};
  bool error_body_truncated = false;

  bool success() const { return status >= 200 && status < 300; }
  // The first header named `name` (case-insensitively), if any.
  std::optional<std::string> Header(std::string_view name) const;
};

}  // namespace zb::net
