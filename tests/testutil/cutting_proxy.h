// A TCP proxy on 127.0.0.1 in front of a real server that can cut every
// connection once a given number of bytes went through it one way: from
// the client's side, the server died in the middle of a request or reply. After
// the cut it refuses (closes at once) the next `refuse_after_cut`
// connections, then forwards again, so a test can show both a retry that
// heals and a failure that outlives the retries.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace zb::testing {

class CuttingProxy {
 public:
  CuttingProxy(std::string upstream_host, int upstream_port);
  ~CuttingProxy();
  int port() const { return port_; }
  enum class Count { kToServer, kToClient };
  // Arms the cut: after `bytes` more bytes going the counted way, every
  // open connection is closed and the next `refuse` connections are closed
  // on accept.
  void CutAfter(uint64_t bytes, int refuse, Count count = Count::kToServer);
  int cuts() const { return cuts_.load(); }

 private:
  void AcceptLoop();
  void Serve(int client, int generation);
  std::string host_;
  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int64_t> budget_{-1};  // client bytes before the cut; -1: never
  std::atomic<int> refuse_{0};
  std::atomic<int> counted_side_{0};  // 0: client to server, 1: back
  std::atomic<int> cuts_{0};
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::vector<std::thread> workers_;  // only the acceptor thread touches it
};

}  // namespace zb::testing
