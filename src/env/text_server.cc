#include "env/text_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

namespace zb {
namespace {

using SteadyClock = std::chrono::steady_clock;

Status Malformed() { return Status::InvalidArgument("not host:port, :port or [v6]:port"); }

}  // namespace

struct TextServer::Connection {
  int fd = -1;
  SteadyClock::time_point deadline;
  std::string in;   // the request so far
  std::string out;  // the answer, once the request is complete
  size_t sent = 0;
  bool answering = false;
};

Result<ListenAddress> ParseListenAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return Malformed();
  ListenAddress out;
  out.host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos) return Malformed();
  // Checked here: getaddrinfo would take 99999 and wrap it to 34463.
  long value = 0;
  for (char c : port) value = std::min(value * 10 + (c - '0'), 100000L);
  if (value > 65535) {
    return Status::InvalidArgument("port " + port + " is outside 0-65535");
  }
  out.port = static_cast<int>(value);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  } else if (out.host.find(':') != std::string::npos) {
    return Malformed();  // an IPv6 address needs its brackets
  }
  return out;
}

Result<std::unique_ptr<TextServer>> TextServer::Start(const std::string& address,
                                                      std::function<std::string()> body,
                                                      TextServerOptions options) {
  auto parsed_or = ParseListenAddress(address);
  if (!parsed_or.ok()) {
    return Status::InvalidArgument("metrics address \"" + address +
                                   "\": " + parsed_or.status().message());
  }
  const ListenAddress& parsed = *parsed_or;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(parsed.port);
  if (int rc = ::getaddrinfo(parsed.host.empty() ? nullptr : parsed.host.c_str(), port.c_str(),
                             &hints, &found);
      rc != 0) {
    return Status::InvalidArgument("metrics address \"" + address + "\": " + ::gai_strerror(rc));
  }
  int fd = -1, err = 0;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
      err = errno;
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return Status::IOError("cannot listen on metrics address " + address + ": " +
                           std::strerror(err));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  const int bound_port = bound.ss_family == AF_INET6
                             ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  const int wake = ::eventfd(0, EFD_CLOEXEC);
  if (wake < 0) {
    ::close(fd);
    return Status::IOError(std::string("eventfd: ") + std::strerror(errno));
  }
  if (options.max_connections < 1) options.max_connections = 1;
  return std::unique_ptr<TextServer>(
      new TextServer(fd, wake, bound_port, std::move(body), options));
}

TextServer::TextServer(int listen_fd, int wake_fd, int port, std::function<std::string()> body,
                       TextServerOptions options)
    : listen_fd_(listen_fd),
      wake_fd_(wake_fd),
      port_(port),
      body_(std::move(body)),
      options_(options) {
  thread_ = std::thread([this] { Serve(); });
}

TextServer::~TextServer() {
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_fd_);
}

void TextServer::Serve() {
  std::vector<Connection> conns;  // in order of arrival
  std::vector<pollfd> fds;
  auto close_conn = [](Connection& c) {
    ::close(c.fd);
    c.fd = -1;
  };
  for (;;) {
    fds.clear();
    fds.push_back({listen_fd_, POLLIN, 0});
    fds.push_back({wake_fd_, POLLIN, 0});
    auto next_deadline = SteadyClock::time_point::max();
    for (const Connection& c : conns) {
      fds.push_back({c.fd, static_cast<short>(c.answering ? POLLOUT : POLLIN), 0});
      next_deadline = std::min(next_deadline, c.deadline);
    }
    int timeout = -1;
    if (!conns.empty()) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(next_deadline - SteadyClock::now());
      timeout = static_cast<int>(std::clamp<int64_t>(left.count(), 0, 60'000));
    }
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) break;
    if (fds[1].revents != 0) break;
    const auto now = SteadyClock::now();
    for (size_t i = 0; i < conns.size(); ++i) {
      Connection& c = conns[i];
      const short revents = fds[i + 2].revents;
      bool open = true;
      if (revents != 0) open = c.answering ? Send(c) : Receive(c);
      if (open && now >= c.deadline) open = false;
      if (!open) close_conn(c);
    }
    std::erase_if(conns, [](const Connection& c) { return c.fd < 0; });
    if (fds[0].revents == 0) continue;
    // Everyone waiting, in one go: a burst of idle connections must not
    // keep a scrape behind it in the backlog.
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) break;
      if (static_cast<int>(conns.size()) >= options_.max_connections) {
        // Room for the newcomer: the oldest one still sending its request
        // (a scrape sends it at once; idle and slow clients do not).
        auto oldest = std::find_if(conns.begin(), conns.end(),
                                   [](const Connection& c) { return !c.answering; });
        if (oldest == conns.end()) {
          ::close(fd);
          continue;
        }
        close_conn(*oldest);
        conns.erase(oldest);
      }
      Connection c;
      c.fd = fd;
      c.deadline = SteadyClock::now() + options_.deadline;
      conns.push_back(std::move(c));
    }
  }
  for (Connection& c : conns) close_conn(c);
}

bool TextServer::Receive(Connection& c) {
  char buf[1024];
  for (;;) {
    const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n <= 0) return false;  // gone before asking
    c.in.append(buf, static_cast<size_t>(n));
    // The head ends at an empty line: CRLF CRLF or bare LF LF.
    const size_t end =
        c.in.find("\n\r\n") != std::string::npos ? c.in.find("\n\r\n") : c.in.find("\n\n");
    if (end != std::string::npos && end < options_.max_request) {
      std::string line = c.in.substr(0, c.in.find('\n'));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      c.out = Answer(line);
      c.answering = true;
      return Send(c);
    }
    if (c.in.size() > options_.max_request) {
      const std::string body =
          "request head larger than " + std::to_string(options_.max_request) + " bytes\n";
      c.out =
          "HTTP/1.0 431 Request Header Fields Too Large\r\nContent-Type: text/plain\r\n"
          "Content-Length: " +
          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
      c.answering = true;
      return Send(c);
    }
  }
}

bool TextServer::Send(Connection& c) {
  while (c.sent < c.out.size()) {
    const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n <= 0) return false;  // the scraper went away
    c.sent += static_cast<size_t>(n);
  }
  // Done. Whatever else the client sent is read and dropped first: closing
  // with unread data would reset the connection and could lose the answer.
  ::shutdown(c.fd, SHUT_WR);
  char buf[1024];
  for (int i = 0; i < 64 && ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT) > 0; ++i) {
  }
  return false;
}

std::string TextServer::Answer(const std::string& line) {
  std::string status = "200 OK", body;
  if (line.rfind("GET ", 0) != 0 && line.rfind("HEAD ", 0) != 0) {
    status = "405 Method Not Allowed";
    body = "only GET\n";
  } else {
    std::string path = line.substr(line.find(' ') + 1);
    path = path.substr(0, path.find(' '));
    path = path.substr(0, path.find('?'));
    if (path == "/metrics") {
      body = body_();
    } else {
      status = "404 Not Found";
      body = "ziti-backup serves /metrics\n";
    }
  }
  std::string response = "HTTP/1.0 " + status +
                         "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8"
                         "\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  if (line.rfind("HEAD ", 0) != 0) response += body;
  return response;
}

}  // namespace zb
