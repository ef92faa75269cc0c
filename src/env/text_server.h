// TextServer: a minimal HTTP/1.0 responder for the Prometheus scrape
// endpoint: GET /metrics answers `body()` as text/plain; anything else is
// 404 (GET) or 405. One connection at a time on its own thread, each with a
// short read deadline; no keep-alive, no TLS. A scrape endpoint needs no
// more, and this keeps a web server library out of the static binary.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "base/result.h"

namespace zb {

class TextServer {
 public:
  // `address`: "host:port", ":port" (all interfaces) or "[v6]:port"; port 0
  // picks a free one. kInvalidArgument for a malformed address, kIOError if
  // it cannot be bound (naming it).
  static Result<std::unique_ptr<TextServer>> Start(const std::string& address,
                                                   std::function<std::string()> body);
  ~TextServer();  // stops serving
  TextServer(const TextServer&) = delete;
  TextServer& operator=(const TextServer&) = delete;

  int port() const { return port_; }

 private:
  TextServer(int listen_fd, int wake_fd, int port, std::function<std::string()> body);
  void Serve();
  void Answer(int fd);

  const int listen_fd_;
  const int wake_fd_;  // eventfd: written to stop the loop
  const int port_;
  std::function<std::string()> body_;
  std::thread thread_;
};

}  // namespace zb
