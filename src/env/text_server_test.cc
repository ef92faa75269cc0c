#include "env/text_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "testutil/http.h"

namespace zb {
namespace {

using testing::HttpExchange;

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  return fd;
}

// True while the server has neither answered nor closed `fd`.
bool StillOpen(int fd) {
  pollfd p = {fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

// Waits (up to a generous bound) for the server to close `fd` and returns
// what it sent first.
std::string ReadUntilClosed(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    if (::poll(&p, 1, 120'000) <= 0) return out + "<still open>";
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

const std::string kBody = "ziti_backup_up 1\n";

std::string MetricsResponse() {
  return "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
         "Content-Length: " +
         std::to_string(kBody.size()) + "\r\nConnection: close\r\n\r\n" + kBody;
}

TEST(TextServerTest, ServesMetricsAndNothingElse) {
  std::atomic<int> calls{0};
  auto server = TextServer::Start("127.0.0.1:0", [&] {
    return "ziti_backup_runs_total{result=\"ok\"} " + std::to_string(++calls) + "\n";
  });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  const std::string body = "ziti_backup_runs_total{result=\"ok\"} 1\n";
  EXPECT_EQ(HttpExchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"),
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_NE(HttpExchange(port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n").find("result=\"ok\"} 2\n"),
            std::string::npos);
  EXPECT_EQ(HttpExchange(port, "GET / HTTP/1.0\r\n\r\n").rfind("HTTP/1.0 404 Not Found\r\n", 0),
            0u);
  EXPECT_EQ(HttpExchange(port, "POST /metrics HTTP/1.0\r\n\r\n")
                .rfind("HTTP/1.0 405 Method Not Allowed\r\n", 0),
            0u);
  // A client that connects and says nothing does not block the next one.
  const int idle = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(idle, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_NE(HttpExchange(port, "GET /metrics HTTP/1.0\r\n\r\n").find("200 OK"), std::string::npos);
  ::close(idle);
  server->reset();
  EXPECT_EQ(HttpExchange(port, "GET /metrics HTTP/1.0\r\n\r\n"), "connect failed");
}

// Idle clients and a slow-loris one (a byte at a time, never finishing)
// are all connected first; a scrape is still answered at once: it is
// answered while every one of them is still connected and unanswered. (A
// server taking one connection at a time would answer it only after
// timing out each client before it.)
TEST(TextServerTest, IdleAndSlowClientsDoNotHoldUpAScrape) {
  TextServerOptions options;
  options.deadline = std::chrono::minutes(10);  // nobody is cut off by time here
  auto server = TextServer::Start(
      "127.0.0.1:0", [] { return kBody; }, options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  std::vector<int> idle;
  for (int i = 0; i < 10; ++i) idle.push_back(Connect(port));
  const int slow = Connect(port);
  std::atomic<bool> done{false};
  std::atomic<int> slow_bytes{0};
  std::thread loris([&] {
    const std::string head = "GET /metrics HTTP/1.0\r\nX-Slow: ";
    for (size_t i = 0; !done; ++i) {
      const char c = i < head.size() ? head[i] : 'a';
      if (::send(slow, &c, 1, MSG_NOSIGNAL) != 1) return;
      ++slow_bytes;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  // The slow client is well into its request before the scrape starts.
  while (slow_bytes < 40) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(HttpExchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), MetricsResponse());
  for (int fd : idle) EXPECT_TRUE(StillOpen(fd));
  EXPECT_TRUE(StillOpen(slow));
  done = true;
  loris.join();
  for (int fd : idle) ::close(fd);
  ::close(slow);
}

TEST(TextServerTest, BareLineFeedsEndARequest) {
  auto server = TextServer::Start("127.0.0.1:0", [] { return kBody; });
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(HttpExchange((*server)->port(), "GET /metrics HTTP/1.0\n\n"), MetricsResponse());
  EXPECT_EQ(HttpExchange((*server)->port(), "GET /metrics HTTP/1.0\nHost: x\n\n"),
            MetricsResponse());
}

TEST(TextServerTest, OversizedRequestIsRefused) {
  TextServerOptions options;
  options.max_request = 1000;
  auto server = TextServer::Start(
      "127.0.0.1:0", [] { return kBody; }, options);
  ASSERT_TRUE(server.ok());
  const std::string head = "GET /metrics HTTP/1.0\r\nX-Big: " + std::string(2000, 'a');
  EXPECT_EQ(HttpExchange((*server)->port(), head),
            "HTTP/1.0 431 Request Header Fields Too Large\r\nContent-Type: text/plain\r\n"
            "Content-Length: 36\r\nConnection: close\r\n\r\n"
            "request head larger than 1000 bytes\n");
}

// A client that says nothing is closed at its deadline, unanswered.
TEST(TextServerTest, SilentClientIsClosedAtItsDeadline) {
  TextServerOptions options;
  options.deadline = std::chrono::milliseconds(50);
  auto server = TextServer::Start(
      "127.0.0.1:0", [] { return kBody; }, options);
  ASSERT_TRUE(server.ok());
  const int fd = Connect((*server)->port());
  EXPECT_EQ(ReadUntilClosed(fd), "");
  ::close(fd);
}

// More clients than the cap: the oldest unanswered one makes room, and a
// scrape is still answered.
TEST(TextServerTest, AtTheCapTheOldestWaitingClientMakesRoom) {
  TextServerOptions options;
  options.max_connections = 4;
  options.deadline = std::chrono::minutes(10);
  auto server = TextServer::Start(
      "127.0.0.1:0", [] { return kBody; }, options);
  ASSERT_TRUE(server.ok());
  std::vector<int> idle;
  for (int i = 0; i < 10; ++i) idle.push_back(Connect((*server)->port()));
  EXPECT_EQ(HttpExchange((*server)->port(), "GET /metrics HTTP/1.0\r\n\r\n"), MetricsResponse());
  EXPECT_EQ(ReadUntilClosed(idle[0]), "");  // evicted, unanswered
  EXPECT_TRUE(StillOpen(idle[9]));
  for (int fd : idle) ::close(fd);
}

TEST(TextServerTest, BadAddressesAreNamed) {
  auto body = [] { return std::string(); };
  EXPECT_EQ(TextServer::Start("9090", body).status().ToString(),
            "invalid argument: metrics address \"9090\": not host:port, :port or [v6]:port");
  EXPECT_EQ(TextServer::Start("localhost:http", body).status().ToString(),
            "invalid argument: metrics address \"localhost:http\": not host:port, :port or "
            "[v6]:port");
  // Ports past 65535 used to wrap (99999 listened on 34463).
  EXPECT_EQ(TextServer::Start(":99999", body).status().ToString(),
            "invalid argument: metrics address \":99999\": port 99999 is outside 0-65535");
  EXPECT_EQ(TextServer::Start("127.0.0.1:65536", body).status().ToString(),
            "invalid argument: metrics address \"127.0.0.1:65536\": port 65536 is outside 0-65535");
  EXPECT_EQ(TextServer::Start("127.0.0.1:99999999999999999999", body).status().ToString(),
            "invalid argument: metrics address \"127.0.0.1:99999999999999999999\": port "
            "99999999999999999999 is outside 0-65535");
  EXPECT_EQ(ParseListenAddress("127.0.0.1:0000099")->port, 99);
  EXPECT_EQ(TextServer::Start("::1:9090", body).status().ToString(),
            "invalid argument: metrics address \"::1:9090\": not host:port, :port or [v6]:port");
  EXPECT_EQ(ParseListenAddress("[::1]:9090")->host, "::1");
  EXPECT_EQ(ParseListenAddress(":65535")->port, 65535);
  auto first = TextServer::Start("127.0.0.1:0", body);
  ASSERT_TRUE(first.ok());
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  EXPECT_EQ(TextServer::Start(taken, body).status().ToString(),
            "I/O error: cannot listen on metrics address " + taken + ": Address already in use");
}

}  // namespace
}  // namespace zb
