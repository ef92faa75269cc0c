#include "testutil/http_test_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <sstream>

namespace zb::testing {
namespace {

const std::string kServerDir = std::string(ZB_SOURCE_DIR) + "/tests/net";

int CountLines(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  int n = 0;
  for (std::string l; std::getline(in, l);) n += l == line;
  return n;
}

// A socket bound to an ephemeral port on 127.0.0.1; its port in `port`.
int BoundSocket(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    throw std::runtime_error("bind 127.0.0.1:0");
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

}  // namespace

HttpTestServer::HttpTestServer(const std::string& log_prefix, const std::string& certs_dir,
                               const std::string& cert_name) {
  std::vector<std::string> argv = {"python3", kServerDir + "/http_test_server.py"};
  if (!cert_name.empty()) {
    argv.insert(argv.end(), {"--cert", certs_dir + "/" + cert_name + ".pem", "--key",
                             certs_dir + "/" + cert_name + ".key"});
  }
  process_ = std::make_unique<BackgroundProcess>(argv, log_prefix);
  std::smatch m;
  const std::regex ready("listening (\\d+)\n");
  const bool up = WaitUntil(
      [&] {
        const std::string out = process_->Stdout();
        if (!std::regex_search(out, m, ready)) return false;
        port_ = std::stoi(m[1].str());
        return true;
      },
      std::chrono::seconds(120));
  EXPECT_TRUE(up) << "the test server did not start: " << process_->Stderr();
}

int HttpTestServer::Opened() const {
  const std::string out = process_->Stdout();
  std::istringstream in(out);
  int n = 0;
  for (std::string l; std::getline(in, l);) n += l.rfind("open ", 0) == 0;
  return n;
}

bool HttpTestServer::WaitClosed(int n) const {
  return WaitUntil(
      [&] { return CountLines(process_->Stdout(), "closed " + std::to_string(n)) == 1; },
      std::chrono::seconds(120));
}

bool MakeTestCerts(const std::string& dir) {
  const RunResult r = Run({kServerDir + "/make_certs.sh", dir});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return r.exit_code == 0;
}

SilentListener::SilentListener() {
  fd_ = BoundSocket(port_);
  if (::listen(fd_, 16) != 0) throw std::runtime_error("listen");
}
SilentListener::~SilentListener() { ::close(fd_); }

RefusingPort::RefusingPort() { fd_ = BoundSocket(port_); }
RefusingPort::~RefusingPort() { ::close(fd_); }

}  // namespace zb::testing
