// tests/net/http_test_server.py running in the background for the HTTP
// client's tests: plain HTTP, or HTTPS with a certificate from
// tests/net/make_certs.sh. Knows the port the server chose and the
// connections it has seen (from the lines it prints).
#pragma once

#include <memory>
#include <string>

#include "testutil/run.h"

namespace zb::testing {

class HttpTestServer {
 public:
  // Starts the server and waits (generously: a loaded machine starts Python
  // slowly) for its readiness line; fails the test if it does not come.
  // `log_prefix`: where its stdout and stderr go (+ ".out", ".err").
  // With `cert_name`, serves TLS with `certs_dir`/NAME.pem and NAME.key.
  HttpTestServer(const std::string& log_prefix, const std::string& certs_dir = "",
                 const std::string& cert_name = "");
  int port() const { return port_; }
  // Connections accepted so far.
  int Opened() const;
  // Waits for the server to have closed its connection number `n` (from 1).
  bool WaitClosed(int n) const;

 private:
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

// Runs tests/net/make_certs.sh into `dir`; returns whether it succeeded.
bool MakeTestCerts(const std::string& dir);

// A TCP port on 127.0.0.1 that listens but never accepts: connects complete
// (the kernel's backlog), then nothing ever answers.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A port on 127.0.0.1 bound but not listening, so held for the test: a
// connect to it is refused.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace zb::testing
