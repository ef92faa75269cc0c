// HttpClient over plain HTTP against a real server (tests/net/
// http_test_server.py): what goes on the wire, streaming, keep-alive and
// reconnects, limits, and every transport failure we can provoke on
// loopback. The TLS cases are in http_client_tls_test.cc.
#include "net/http_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "testutil/http_test_server.h"
#include "testutil/pattern_stream.h"
#include "testutil/run.h"

namespace zb::net {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using zb::testing::HttpTestServer;
using zb::testing::PatternSink;
using zb::testing::PatternSource;
using zb::testing::TempDir;

constexpr uint64_t kNoLimit = UINT64_MAX;

// The value of the echo's "key value" line ("" if absent).
std::string EchoLine(const std::string& echo, const std::string& key) {
  std::istringstream in(echo);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + " ", 0) == 0) return line.substr(key.size() + 1);
  }
  return "";
}

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientTest() : server_(dir_ / "server") {}

  std::unique_ptr<HttpClient> NewClient(HttpOptions options = {}, int port = 0) {
    HttpEndpoint endpoint{.scheme = "http",
                          .host = "127.0.0.1",
                          .port = static_cast<uint16_t>(port ? port : server_.port())};
    auto client = HttpClient::Create(endpoint, options);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return std::move(client).value();
  }

  // GETs `target`; the body of a 2xx in `body`.
  Result<HttpResponse> Get(HttpClient& client, const std::string& target, std::string* body) {
    StringSink sink;
    auto r = client.Send({.method = "GET", .target = target}, sink, kNoLimit);
    if (body != nullptr) *body = sink.data();
    return r;
  }

  std::string Where() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  TempDir dir_;
  HttpTestServer server_;
};

TEST_F(HttpClientTest, SendsMethodTargetHeadersAndBody) {
  auto client = NewClient();
  PatternSource body(1000);
  StringSink echo;
  HttpRequest req{.method = "PUT",
                  .target = "/echo?a=b%20c&d",
                  .headers = {{"x-amz-meta-x", "1"}, {"X-Two", "a, b"}},
                  .body = &body,
                  .content_length = 1000};
  auto r = client->Send(req, echo, kNoLimit);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->error_body, "");
  EXPECT_EQ(r->Header("content-length"), std::to_string(echo.data().size()));
  EXPECT_EQ(r->Header("X-Absent"), std::nullopt);
  EXPECT_FALSE(echo.finished());  // the caller finishes its sink
  EXPECT_EQ(echo.data(),
            "method PUT\n"
            "target /echo?a=b%20c&d\n"
            "connection 1\n"
            "body_bytes 1000\n"
            "pattern ok\n"
            "header x-amz-meta-x: 1\n"
            "header X-Two: a, b\n"
            "header Host: " +
                Where() +
                "\n"
                "header Content-Length: 1000\n");
  EXPECT_EQ(body.position(), 1000u);
}

TEST_F(HttpClientTest, ContentLengthOnlyWithABodyOrForPutAndPost) {
  auto client = NewClient();
  std::string echo;
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
  EXPECT_EQ(EchoLine(echo, "header Content-Length:"), "");
  EXPECT_THAT(echo, ::testing::Not(HasSubstr("Content-Length")));

  StringSink put_echo;
  ASSERT_TRUE(client->Send({.method = "PUT", .target = "/echo"}, put_echo, kNoLimit).ok());
  EXPECT_EQ(EchoLine(put_echo.data(), "header Content-Length:"), "0");
  EXPECT_EQ(EchoLine(put_echo.data(), "body_bytes"), "0");
}

TEST_F(HttpClientTest, RequestsHostHeaderWins) {
  auto client = NewClient();
  StringSink echo;
  auto r = client->Send({.target = "/echo", .headers = {{"Host", "bucket.example:9000"}}}, echo,
                        kNoLimit);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(EchoLine(echo.data(), "header Host:"), "bucket.example:9000");
  EXPECT_THAT(echo.data(), ::testing::Not(HasSubstr("header Host: 127.0.0.1")));
}

// 100 MiB each way through the client's one 64 KiB buffer: the server checks
// every byte it receives, the sink every byte it gets, and the resident set
// stays where it was (sampled every 4 MiB as the bytes pass).
TEST_F(HttpClientTest, StreamsHundredMiBEachWayWithoutHoldingIt) {
  constexpr uint64_t kSize = 100 << 20;
  auto client = NewClient();
  const long rss_before = zb::testing::CurrentRssKib();

  PatternSource up(kSize);
  StringSink echo;
  auto put = client->Send(
      {.method = "PUT", .target = "/echo", .body = &up, .content_length = kSize}, echo, kNoLimit);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(EchoLine(echo.data(), "body_bytes"), std::to_string(kSize));
  EXPECT_EQ(EchoLine(echo.data(), "pattern"), "ok");
  EXPECT_EQ(up.position(), kSize);
  EXPECT_LE(up.largest_read(), 64u << 10);

  PatternSink down;
  auto get = client->Send({.target = "/bytes?n=" + std::to_string(kSize)}, down, kSize);
  ASSERT_TRUE(get.ok()) << get.status().ToString();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(down.bytes(), kSize);
  EXPECT_EQ(down.mismatch(), -1);
  EXPECT_LE(down.largest_write(), 64u << 10);

  // Far below the 100 MiB either transfer would add if it were buffered.
  // The bound leaves room for ASan, whose quarantine keeps freed blocks
  // resident for a while (16 MiB was once exceeded by 0.6 MiB there).
  EXPECT_LT(up.peak_rss_kib() - rss_before, 32 * 1024);
  EXPECT_LT(down.peak_rss_kib() - rss_before, 32 * 1024);
  EXPECT_EQ(server_.Opened(), 1);
}

TEST_F(HttpClientTest, ReadsAChunkedBody) {
  auto client = NewClient();
  PatternSink down;
  auto r = client->Send({.target = "/bytes?n=1000000&chunked=1"}, down, 1000000);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(down.bytes(), 1000000u);
  EXPECT_EQ(down.mismatch(), -1);
}

TEST_F(HttpClientTest, ReusesTheKeptAliveConnection) {
  auto client = NewClient();
  for (int i = 0; i < 3; ++i) {
    std::string echo;
    ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
    EXPECT_EQ(EchoLine(echo, "connection"), "1");
  }
  PatternSource body(5000);
  StringSink echo;
  ASSERT_TRUE(
      client
          ->Send({.method = "PUT", .target = "/echo", .body = &body, .content_length = 5000}, echo,
                 kNoLimit)
          .ok());
  EXPECT_EQ(EchoLine(echo.data(), "connection"), "1");
  EXPECT_EQ(server_.Opened(), 1);
}

// The server closed the idle connection (as S3 does after a while) before
// our next request: the client notices and sends it on a new connection,
// body included, without having read the body twice.
TEST_F(HttpClientTest, ReconnectsWhenTheServerClosedTheIdleConnection) {
  auto client = NewClient();
  std::string echo;
  ASSERT_TRUE(Get(*client, "/bye", &echo).ok());
  EXPECT_EQ(EchoLine(echo, "connection"), "1");
  ASSERT_TRUE(server_.WaitClosed(1));

  PatternSource body(300000);
  StringSink echo2;
  auto r =
      client->Send({.method = "PUT", .target = "/echo", .body = &body, .content_length = 300000},
                   echo2, kNoLimit);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(EchoLine(echo2.data(), "connection"), "2");
  EXPECT_EQ(EchoLine(echo2.data(), "pattern"), "ok");
  EXPECT_EQ(body.rewinds(), 0);
  EXPECT_EQ(server_.Opened(), 2);
}

// A body the server stopped reading is not sent again behind the caller's
// back: the error is retryable, and the caller rewinds and retries.
TEST_F(HttpClientTest, APartlySentBodyIsARetryableErrorNotAResend) {
  auto client = NewClient();
  std::string echo;
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());  // a reused connection next
  PatternSource body(64 << 20);
  StringSink out;
  auto r = client->Send(
      {.method = "PUT", .target = "/drop?sig=secret", .body = &body, .content_length = 64 << 20},
      out, kNoLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_TRUE(r.status().retryable());
  EXPECT_THAT(r.status().message(), StartsWith(Where() + ": PUT /drop: send request body: "
                                                         "connection closed by the server ("));
  EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("secret")));
  EXPECT_GT(body.position(), 0u);
  EXPECT_LT(body.position(), 64u << 20);
  EXPECT_EQ(body.rewinds(), 0);
  EXPECT_EQ(server_.Opened(), 1);

  // The connection is gone; the next request gets a new one.
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
  EXPECT_EQ(EchoLine(echo, "connection"), "2");
}

// A request without a body that a reused connection lost before any answer
// goes out once more on a new connection (the idle-close race); a fresh
// connection's failure is reported as it is.
TEST_F(HttpClientTest, ResendsABodilessIdempotentRequestOnceAfterAReusedConnectionDrops) {
  auto client = NewClient();
  std::string echo;
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
  auto r = Get(*client, "/drop", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_TRUE(r.status().retryable());
  EXPECT_THAT(r.status().message(),
              StartsWith(Where() + ": GET /drop: read response header: connection closed by the "
                                   "server ("));
  EXPECT_EQ(server_.Opened(), 2);  // the first connection, then exactly one more

  auto fresh = Get(*client, "/drop", nullptr);
  ASSERT_FALSE(fresh.ok());
  EXPECT_EQ(server_.Opened(), 3);  // no resend on a connection that was new
}

TEST_F(HttpClientTest, PostIsNotResent) {
  auto client = NewClient();
  std::string echo;
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
  StringSink out;
  auto r = client->Send({.method = "POST", .target = "/drop"}, out, kNoLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().retryable());
  EXPECT_EQ(server_.Opened(), 1);
}

TEST_F(HttpClientTest, AServerThatNeverAnswersIsATimeout) {
  auto client = NewClient({.io_timeout = std::chrono::seconds(1)});
  auto r = Get(*client, "/sleep?s=3600", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTimeout);
  EXPECT_TRUE(r.status().retryable());
  EXPECT_EQ(r.status().message(),
            Where() + ": GET /sleep: read response header: timed out after 1s");
}

TEST_F(HttpClientTest, AListenerThatNeverAcceptsIsATimeout) {
  zb::testing::SilentListener silent;
  auto client = NewClient({.io_timeout = std::chrono::seconds(1)}, silent.port());
  auto r = Get(*client, "/", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTimeout);
  EXPECT_EQ(r.status().message(), "127.0.0.1:" + std::to_string(silent.port()) +
                                      ": GET /: read response header: timed out after 1s");
}

TEST_F(HttpClientTest, ARefusedConnectionIsARetryableIOError) {
  zb::testing::RefusingPort refusing;
  auto client = NewClient({}, refusing.port());
  auto r = Get(*client, "/", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_TRUE(r.status().retryable());
  EXPECT_EQ(r.status().message(),
            "127.0.0.1:" + std::to_string(refusing.port()) + ": connect: Connection refused");
}

TEST_F(HttpClientTest, AnUnknownHostIsAnIOErrorNamingIt) {
  HttpEndpoint endpoint{.scheme = "http", .host = "no-such-host.invalid", .port = 80};
  auto client = HttpClient::Create(endpoint, {});
  ASSERT_TRUE(client.ok());
  StringSink out;
  auto r = (*client)->Send({}, out, kNoLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_THAT(r.status().message(), StartsWith("no-such-host.invalid:80: DNS lookup: "));
}

TEST_F(HttpClientTest, ABodyOverMaxBodyIsAnErrorAndNothingIsWritten) {
  auto client = NewClient();
  PatternSink exact;
  ASSERT_TRUE(client->Send({.target = "/bytes?n=1000"}, exact, 1000).ok());
  EXPECT_EQ(exact.bytes(), 1000u);

  PatternSink over;
  auto r = client->Send({.target = "/bytes?n=1000"}, over, 999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_FALSE(r.status().retryable());
  EXPECT_EQ(r.status().message(),
            Where() + ": GET /bytes: response body of 1000 bytes exceeds the limit of 999");
  EXPECT_EQ(over.bytes(), 0u);
}

// Without a Content-Length the limit is found while reading: what was
// written stops at or before it.
TEST_F(HttpClientTest, AChunkedBodyOverMaxBodyStopsAtTheLimit) {
  auto client = NewClient();
  PatternSink over;
  auto r = client->Send({.target = "/bytes?n=300000&chunked=1"}, over, 200000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            Where() + ": GET /bytes: response body exceeds the limit of 200000 bytes");
  EXPECT_LE(over.bytes(), 200000u);
  EXPECT_EQ(over.mismatch(), -1);
}

TEST_F(HttpClientTest, AnErrorStatusComesBackWithItsBody) {
  auto client = NewClient();
  PatternSink out;
  auto r = client->Send({.target = "/status?code=404&n=100"}, out, 10);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 404);
  EXPECT_FALSE(r->success());
  EXPECT_EQ(r->error_body, std::string(100, 'e'));
  EXPECT_FALSE(r->error_body_truncated);
  EXPECT_EQ(out.bytes(), 0u);

  std::string echo;
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
  EXPECT_EQ(EchoLine(echo, "connection"), "1");
}

TEST_F(HttpClientTest, ALongErrorBodyIsCutAndItsConnectionDropped) {
  auto client = NewClient({.max_error_body = 1000});
  StringSink out;
  auto r = client->Send({.target = "/status?code=503&n=1000000"}, out, kNoLimit);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->error_body, std::string(1000, 'e'));
  EXPECT_TRUE(r->error_body_truncated);

  std::string echo;
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
  EXPECT_EQ(EchoLine(echo, "connection"), "2");
}

TEST_F(HttpClientTest, OversizedResponseHeadersAreAnError) {
  auto client = NewClient({.max_header_bytes = 16 * 1024});
  std::string body;
  auto fits = Get(*client, "/bigheader?n=15000", &body);
  ASSERT_TRUE(fits.ok()) << fits.status().ToString();
  EXPECT_EQ(fits->Header("x-big"), std::string(15000, 'b'));

  auto r = Get(*client, "/bigheader?n=17000", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_FALSE(r.status().retryable());
  EXPECT_EQ(r.status().message(),
            Where() + ": GET /bigheader: read response header: response header too large");
}

TEST_F(HttpClientTest, HeadReadsNoBody) {
  auto client = NewClient();
  PatternSink out;
  auto r = client->Send({.method = "HEAD", .target = "/bytes?n=1000"}, out, 0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Length"), "1000");
  EXPECT_EQ(out.bytes(), 0u);
  std::string echo;
  ASSERT_TRUE(Get(*client, "/echo", &echo).ok());
  EXPECT_EQ(EchoLine(echo, "connection"), "1");
}

TEST_F(HttpClientTest, ABodyShorterOrLongerThanItsLengthIsAnError) {
  auto client = NewClient();
  StringSink out;
  PatternSource short_body(10);
  auto r =
      client->Send({.method = "PUT", .target = "/echo", .body = &short_body, .content_length = 20},
                   out, kNoLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), Where() + ": PUT /echo: request body ended after 10 of 20 bytes");

  PatternSource long_body(30);
  r = client->Send({.method = "PUT", .target = "/echo", .body = &long_body, .content_length = 20},
                   out, kNoLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            Where() + ": PUT /echo: request body is longer than its 20 bytes");
  EXPECT_EQ(out.data(), "");
}

TEST_F(HttpClientTest, RequestsThatCouldSplitOnTheWireAreRefused) {
  auto client = NewClient();
  StringSink out;
  PatternSource body(1);
  const std::vector<std::pair<HttpRequest, std::string>> cases = {
      {{.method = "GET / HTTP/1.1\r\nX: y", .target = "/"},
       "HTTP method \"GET / HTTP/1.1\r\nX: y\""},
      {{.target = "/a b"}, "HTTP request target is not an encoded path"},
      {{.target = "http://x/"}, "HTTP request target is not an encoded path"},
      {{.headers = {{"X-A", "1\r\nX-B: 2"}}}, "HTTP header X-A: control character in value"},
      {{.headers = {{"X A", "1"}}}, "HTTP header name \"X A\""},
      {{.headers = {{"content-length", "1"}}}, "HTTP header content-length is set by the client"},
      {{.headers = {{"Transfer-Encoding", "chunked"}}},
       "HTTP header Transfer-Encoding is set by the client"},
      {{.method = "PUT", .content_length = 1}, "HTTP request: content_length without a body"},
  };
  for (const auto& [req, message] : cases) {
    auto r = client->Send(req, out, kNoLimit);
    ASSERT_FALSE(r.ok()) << message;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.status().message(), message);
  }
  EXPECT_EQ(server_.Opened(), 0);
}

TEST(HttpEndpointTest, HostPortAndHostHeader) {
  EXPECT_EQ(HostPort({.scheme = "https", .host = "s3.example", .port = 443}), "s3.example:443");
  EXPECT_EQ(HostHeader({.scheme = "https", .host = "s3.example", .port = 443}), "s3.example");
  EXPECT_EQ(HostHeader({.scheme = "http", .host = "s3.example", .port = 80}), "s3.example");
  EXPECT_EQ(HostHeader({.scheme = "http", .host = "s3.example", .port = 443}), "s3.example:443");
  EXPECT_EQ(HostHeader({.scheme = "https", .host = "::1", .port = 9000}), "[::1]:9000");
  EXPECT_EQ(HostHeader({.scheme = "https", .host = "::1", .port = 443}), "[::1]");
}

TEST(HttpClientCreateTest, RefusesAnUnknownSchemeOrNoHost) {
  auto r = HttpClient::Create({.scheme = "ftp", .host = "x", .port = 21}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "HTTP endpoint scheme \"ftp\": expected http or https");
  r = HttpClient::Create({.scheme = "http", .host = "", .port = 80}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "HTTP endpoint: empty host");
}

}  // namespace
}  // namespace zb::net
