#include "env/text_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "testutil/http.h"

namespace zb {
namespace {

using testing::HttpExchange;

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

TEST(TextServerTest, BadAddressesAreNamed) {
  auto body = [] { return std::string(); };
  EXPECT_EQ(TextServer::Start("9090", body).status().ToString(),
            "invalid argument: metrics address \"9090\" is not host:port, :port or [v6]:port");
  EXPECT_EQ(TextServer::Start("localhost:http", body).status().ToString(),
            "invalid argument: metrics address \"localhost:http\" is not host:port, :port or "
            "[v6]:port");
  auto first = TextServer::Start("127.0.0.1:0", body);
  ASSERT_TRUE(first.ok());
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  EXPECT_EQ(TextServer::Start(taken, body).status().ToString(),
            "I/O error: cannot listen on metrics address " + taken + ": Address already in use");
}

}  // namespace
}  // namespace zb
