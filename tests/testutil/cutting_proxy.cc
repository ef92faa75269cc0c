#include "testutil/cutting_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace zb::testing {

CuttingProxy::CuttingProxy(std::string upstream_host, int upstream_port)
    : host_(std::move(upstream_host)), upstream_port_(upstream_port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::cerr << "CuttingProxy: cannot listen: " << std::strerror(errno) << "\n";
    std::abort();
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

CuttingProxy::~CuttingProxy() {
  stop_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  close(listen_fd_);
}

void CuttingProxy::CutAfter(uint64_t bytes, int refuse, Count count) {
  refuse_ = refuse;
  counted_side_ = count == Count::kToServer ? 0 : 1;
  budget_ = static_cast<int64_t>(bytes);
}

void CuttingProxy::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (cuts_ > 0 && refuse_ > 0) {  // the server is still "down"
      --refuse_;
      close(client);
      continue;
    }
    // The generation is the one the connection was accepted in: a worker
    // that starts after a cut must not carry a connection through it.
    const int generation = cuts_;
    workers_.emplace_back([this, client, generation] { Serve(client, generation); });
  }
  for (auto& w : workers_) w.join();
}

void CuttingProxy::Serve(int client, int generation) {
  const int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(upstream_port_));
  inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
  if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(server);
    close(client);
    return;
  }
  char buf[16384];
  bool open = true;
  while (open && !stop_) {
    pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (poll(p, 2, 100) < 0) break;
    if (cuts_ != generation) break;  // cut: this connection dies mid-stream
    for (int i = 0; i < 2 && open; ++i) {
      if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const int from = i == 0 ? client : server;
      const int to = i == 0 ? server : client;
      size_t want = sizeof buf;
      const bool counted = i == counted_side_;
      if (counted) {
        const int64_t b = budget_.load();
        if (b >= 0) want = std::min<size_t>(want, static_cast<size_t>(b));
        if (want == 0) break;
      }
      const ssize_t n = read(from, buf, want);
      if (n <= 0) {
        open = false;
        break;
      }
      if (counted && budget_.load() > 0 && (budget_ -= n) <= 0) {
        budget_ = -1;
        ++cuts_;
        open = false;  // the bytes up to the cut still go through
      }
      for (ssize_t off = 0; off < n;) {
        const ssize_t w = write(to, buf + off, static_cast<size_t>(n - off));
        if (w <= 0) {
          open = false;
          break;
        }
        off += w;
      }
    }
  }
  close(server);
  close(client);
}

}  // namespace zb::testing
