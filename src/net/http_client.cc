// The Beast implementation of HttpClient. Every socket operation is
// asynchronous on a private io_context that Send runs until the operation
// completes: that is how Beast's tcp_stream deadlines apply (its synchronous
// calls have none), while callers keep a plain blocking interface.
#include "net/http_client.h"

#include <poll.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

#include "net/tls_context.h"
#include "net/transport_error.h"

namespace zb::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

// The one buffer each body streams through, in either direction.
constexpr size_t kChunk = 64 * 1024;
// Interim responses (100 Continue, 103 Early Hints) skipped before giving up.
constexpr int kMaxInterim = 8;

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}
bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; });
}
bool EqualsIgnoreCase(std::string_view a, std::string_view b) { return beast::iequals(a, b); }

// Headers and targets go out as given, so nothing a caller passes may split
// the request (CR/LF injection).
Status Validate(const HttpRequest& req) {
  if (!IsToken(req.method)) return Status::InvalidArgument("HTTP method \"" + req.method + "\"");
  if (req.target.empty() || req.target[0] != '/' || HasControl(req.target) ||
      req.target.find(' ') != std::string::npos) {
    return Status::InvalidArgument("HTTP request target is not an encoded path");
  }
  for (const auto& [name, value] : req.headers) {
    if (!IsToken(name)) return Status::InvalidArgument("HTTP header name \"" + name + "\"");
    if (HasControl(value)) {
      return Status::InvalidArgument("HTTP header " + name + ": control character in value");
    }
    if (EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding")) {
      return Status::InvalidArgument("HTTP header " + name + " is set by the client");
    }
  }
  if (req.body == nullptr && req.content_length > 0) {
    return Status::InvalidArgument("HTTP request: content_length without a body");
  }
  return Status::OK();
}

// Methods a server may receive twice with the same effect (RFC 9110 9.2.2).
bool IsIdempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

// What one attempt got done, which decides whether it may be repeated.
struct Progress {
  bool source_read = false;  // the body source was read from
  bool peer_closed = false;  // failed as the server closed, before any response byte
};

template <bool kTls>
class BeastHttpClient final : public HttpClient {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  BeastHttpClient(const HttpEndpoint& endpoint, const HttpOptions& options,
                  std::unique_ptr<asio::ssl::context> tls)
      : endpoint_(endpoint),
        options_(options),
        where_(HostPort(endpoint)),
        host_header_(HostHeader(endpoint)),
        tls_(std::move(tls)),
        ioc_(1),
        buffer_(options.max_header_bytes + 2 * kChunk) {}

  Result<HttpResponse> Send(const HttpRequest& req, ByteSink& out, uint64_t max_body) override {
    ZB_RETURN_IF_ERROR(Validate(req));
    // The query string may carry a presigned URL's signature: errors name
    // the path only.
    const std::string context =
        where_ + ": " + req.method + " " + req.target.substr(0, req.target.find('?'));
    if (stream_ && !IdleConnectionUsable()) Close();
    const bool reused = stream_.has_value();
    if (!stream_) ZB_RETURN_IF_ERROR(Connect(context));
    Progress progress;
    Result<HttpResponse> r = Exchange(req, out, max_body, context, progress);
    if (r.ok()) return r;
    Close();
    // A server may close an idle connection just as our request goes out.
    // Then it never saw the request, but we cannot tell that from a crash
    // after it did, so only a request that is safe to repeat and whose body
    // source is untouched goes out again, once, on a new connection.
    if (reused && progress.peer_closed && !progress.source_read && IsIdempotent(req.method)) {
      ZB_RETURN_IF_ERROR(Connect(context));
      progress = Progress{};
      r = Exchange(req, out, max_body, context, progress);
      if (!r.ok()) Close();
    }
    return r;
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(*stream_); }

  // Starts one asynchronous operation and runs the io_context until it has
  // completed (its tcp_stream deadline included); returns its error.
  template <class Start>
  error_code Await(Start&& start) {
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  Status Connect(const std::string& context) {
    asio::ip::tcp::resolver resolver(ioc_);
    error_code ec;
    const auto addresses = resolver.resolve(endpoint_.host, std::to_string(endpoint_.port), ec);
    if (ec) return TransportError(where_, "DNS lookup", ec, options_.connect_timeout);
    if constexpr (kTls) {
      stream_.emplace(ioc_, *tls_);
    } else {
      stream_.emplace(ioc_);
    }
    Tcp().expires_after(options_.connect_timeout);
    ec = Await([&](auto handler) { Tcp().async_connect(addresses, std::move(handler)); });
    if (ec) {
      Close();
      return TransportError(where_, "connect", ec, options_.connect_timeout);
    }
    // The header and each body chunk are separate writes: no Nagle delay.
    Tcp().socket().set_option(asio::ip::tcp::no_delay(true), ec);
    if constexpr (kTls) {
      Status s = SetTlsPeerName(stream_->native_handle(), endpoint_.host);
      if (!s.ok()) {
        Close();
        return s.WithContext(where_);
      }
      Tcp().expires_after(options_.connect_timeout);
      ec = Await([&](auto handler) {
        stream_->async_handshake(asio::ssl::stream_base::client, std::move(handler));
      });
      if (ec) {
        const std::string why = TlsVerifyFailure(stream_->native_handle());
        Close();
        if (!why.empty()) {
          return Status::IOError(where_ + ": TLS handshake: certificate verify failed: " + why);
        }
        return TransportError(where_, "TLS handshake", ec, options_.connect_timeout);
      }
    }
    return Status::OK();
  }

  void Close() {
    if (!stream_) return;
    error_code ignored;
    Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    Tcp().socket().close(ignored);
    stream_.reset();
    buffer_.clear();
  }

  // A kept-alive connection is fit for the next request while the server has
  // sent nothing since the last response: readable means it closed (EOF, a
  // reset, a TLS close_notify) or broke the protocol.
  bool IdleConnectionUsable() {
    if (buffer_.size() > 0) return false;
    pollfd pfd{Tcp().socket().native_handle(), POLLIN, 0};
    return ::poll(&pfd, 1, 0) == 0;
  }

  Status SendRequest(const HttpRequest& req, const std::string& context, Progress& progress) {
    http::request<http::buffer_body> msg;
    msg.version(11);
    msg.method_string(req.method);
    msg.target(req.target);
    bool has_host = false;
    for (const auto& [name, value] : req.headers) {
      msg.insert(name, value);
      has_host = has_host || EqualsIgnoreCase(name, "host");
    }
    if (!has_host) msg.set(http::field::host, host_header_);
    // PUT and POST without a body still say so: S3 answers 411 otherwise.
    if (req.body != nullptr || req.method == "PUT" || req.method == "POST") {
      msg.content_length(req.content_length);
    }
    msg.body().data = nullptr;
    msg.body().size = 0;
    msg.body().more = req.content_length > 0;
    http::request_serializer<http::buffer_body> serializer(msg);

    Tcp().expires_after(options_.io_timeout);
    error_code ec = Await(
        [&](auto handler) { http::async_write_header(*stream_, serializer, std::move(handler)); });
    if (ec) {
      progress.peer_closed = PeerClosed(ec);
      return TransportError(context, "send request", ec, options_.io_timeout);
    }
    uint64_t left = req.content_length;
    while (left > 0) {
      progress.source_read = true;
      Result<size_t> n =
          req.body->Read(MutableByteSpan(chunk_.data(), std::min<uint64_t>(left, kChunk)));
      if (!n.ok()) return n.status().WithContext(context + ": request body");
      if (*n == 0) {
        return Status::IOError(context + ": request body ended after " +
                               std::to_string(req.content_length - left) + " of " +
                               std::to_string(req.content_length) + " bytes");
      }
      left -= *n;
      msg.body().data = chunk_.data();
      msg.body().size = *n;
      msg.body().more = left > 0;
      Tcp().expires_after(options_.io_timeout);
      ec =
          Await([&](auto handler) { http::async_write(*stream_, serializer, std::move(handler)); });
      if (ec && ec != http::error::need_buffer) {
        return TransportError(context, "send request body", ec, options_.io_timeout);
      }
    }
    if (req.content_length == 0) {
      Tcp().expires_after(options_.io_timeout);
      ec =
          Await([&](auto handler) { http::async_write(*stream_, serializer, std::move(handler)); });
      if (ec) return TransportError(context, "send request", ec, options_.io_timeout);
    }
    if (req.body != nullptr) {
      // A source longer than announced (a file that grew) would be stored
      // cut short without a word.
      progress.source_read = true;
      std::byte extra;
      ZB_ASSIGN_OR_RETURN(size_t n, req.body->Read(MutableByteSpan(&extra, 1)));
      if (n != 0) {
        return Status::IOError(context + ": request body is longer than its " +
                               std::to_string(req.content_length) + " bytes");
      }
    }
    return Status::OK();
  }

  Result<HttpResponse> Exchange(const HttpRequest& req, ByteSink& out, uint64_t max_body,
                                const std::string& context, Progress& progress) {
    ZB_RETURN_IF_ERROR(SendRequest(req, context, progress));

    std::optional<http::response_parser<http::buffer_body>> parser;
    for (int interim = 0;; ++interim) {
      if (interim > kMaxInterim) {
        return Status::IOError(context + ": more than " + std::to_string(kMaxInterim) +
                               " interim responses");
      }
      parser.emplace();
      parser->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
      // Bodies are counted here (max_body for 2xx, max_error_body otherwise).
      parser->body_limit(boost::none);
      if (req.method == "HEAD") parser->skip(true);
      Tcp().expires_after(options_.io_timeout);
      error_code ec = Await([&](auto handler) {
        http::async_read_header(*stream_, buffer_, *parser, std::move(handler));
      });
      if (ec) {
        progress.peer_closed = PeerClosed(ec);
        return TransportError(context, "read response header", ec, options_.io_timeout);
      }
      const unsigned status = parser->get().result_int();
      if (status == 101) return Status::IOError(context + ": unexpected 101 Switching Protocols");
      if (status >= 200) break;
    }

    HttpResponse response;
    response.status = static_cast<int>(parser->get().result_int());
    for (const auto& field : parser->get()) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    const bool to_out = response.success();
    // (A HEAD response's Content-Length describes a body that is not sent.)
    if (to_out && !parser->is_done() && parser->content_length() &&
        *parser->content_length() > max_body) {
      return Status::IOError(context + ": response body of " +
                             std::to_string(*parser->content_length()) +
                             " bytes exceeds the limit of " + std::to_string(max_body));
    }
    uint64_t received = 0;
    bool keep_alive = true;
    while (!parser->is_done()) {
      parser->get().body().data = chunk_.data();
      parser->get().body().size = kChunk;
      Tcp().expires_after(options_.io_timeout);
      error_code ec = Await(
          [&](auto handler) { http::async_read(*stream_, buffer_, *parser, std::move(handler)); });
      if (ec && ec != http::error::need_buffer) {
        return TransportError(context, "read response body", ec, options_.io_timeout);
      }
      const size_t n = kChunk - parser->get().body().size;
      const ByteSpan got(chunk_.data(), n);
      if (to_out) {
        if (n > max_body - received) {
          return Status::IOError(context + ": response body exceeds the limit of " +
                                 std::to_string(max_body) + " bytes");
        }
        received += n;
        ZB_RETURN_IF_ERROR(out.Write(got));
      } else {
        const size_t room = options_.max_error_body - response.error_body.size();
        response.error_body.append(reinterpret_cast<const char*>(got.data()), std::min(n, room));
        if (n > room) {
          // The rest is not worth reading: drop it with the connection.
          response.error_body_truncated = true;
          keep_alive = false;
          break;
        }
      }
    }
    if (!keep_alive || !parser->keep_alive()) Close();
    return response;
  }

  const HttpEndpoint endpoint_;
  const HttpOptions options_;
  const std::string where_;                        // host:port, for errors
  const std::string host_header_;                  // unless the request sets Host
  const std::unique_ptr<asio::ssl::context> tls_;  // https only
  asio::io_context ioc_;
  std::optional<Stream> stream_;  // the connection, if open
  beast::flat_buffer buffer_;     // bytes read ahead of the parser (bounded)
  std::array<std::byte, kChunk> chunk_;
};

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const HttpEndpoint& endpoint,
                                                       const HttpOptions& options) {
  if (endpoint.host.empty()) return Status::InvalidArgument("HTTP endpoint: empty host");
  if (endpoint.scheme == "http") {
    return std::unique_ptr<HttpClient>(
        std::make_unique<BeastHttpClient<false>>(endpoint, options, nullptr));
  }
  if (endpoint.scheme == "https") {
    ZB_ASSIGN_OR_RETURN(auto tls, NewTlsContext(endpoint));
    return std::unique_ptr<HttpClient>(
        std::make_unique<BeastHttpClient<true>>(endpoint, options, std::move(tls)));
  }
  return Status::InvalidArgument("HTTP endpoint scheme \"" + endpoint.scheme +
                                 "\": expected http or https");
}

}  // namespace zb::net
