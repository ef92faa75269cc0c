// TextServer: a minimal HTTP/1.0 responder for the Prometheus scrape
// endpoint: GET /metrics answers `body()` as text/plain; anything else is
// 404 (GET) or 405. No keep-alive, no TLS. A scrape endpoint needs no more,
// and this keeps a web server library out of the static binary.
// One thread serves every connection with poll(2), so clients that connect
// and say nothing, or send a byte at a time, cannot hold up a scrape: each
// connection has a deadline for its whole exchange, a request head larger
// than `max_request` is refused (431), and at `max_connections` the oldest
// connection still sending its request makes room for a new one. A request
// head may end in CRLF CRLF or in bare LF LF. `body` runs on the server's
// thread; Start and the destructor are for one owner.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "base/result.h"

namespace zb {

struct TextServerOptions {
  int max_connections = 16;
  // From accept to the last byte of the answer: a scrape takes milliseconds.
  std::chrono::milliseconds deadline{5000};
  size_t max_request = 8192;  // bytes of request line and headers
};

// "host:port", ":port" (all interfaces) or "[v6]:port", split; the port is
// 0 to 65535 (0 picks a free one). kInvalidArgument saying what is wrong
// ("port 99999 is outside 0-65535"); the caller names the address.
struct ListenAddress {
  std::string host;  // empty: all interfaces
  int port = 0;
};
Result<ListenAddress> ParseListenAddress(const std::string& address);

class TextServer {
 public:
  // kInvalidArgument for a malformed address ("metrics address \"X\": why"),
  // kIOError if it cannot be bound (naming it).
  static Result<std::unique_ptr<TextServer>> Start(const std::string& address,
                                                   std::function<std::string()> body,
                                                   TextServerOptions options = {});
  ~TextServer();  // stops serving, closes every connection
  TextServer(const TextServer&) = delete;
  TextServer& operator=(const TextServer&) = delete;

  int port() const { return port_; }

 private:
  struct Connection;
  TextServer(int listen_fd, int wake_fd, int port, std::function<std::string()> body,
             TextServerOptions options);
  void Serve();
  // Reads what the client sent; once the request head is complete (or too
  // large) prepares the answer. False when the connection is finished.
  bool Receive(Connection& c);
  bool Send(Connection& c);
  std::string Answer(const std::string& request_line);

  const int listen_fd_;
  const int wake_fd_;  // eventfd: written to stop the loop
  const int port_;
  std::function<std::string()> body_;
  const TextServerOptions options_;
  std::thread thread_;
};

}  // namespace zb
