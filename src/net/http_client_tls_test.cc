// HttpClient over TLS against tests/net/http_test_server.py serving
// certificates of a throwaway CA made for the suite (tests/net/make_certs.sh):
// what verifies, what does not and why, and that streaming and keep-alive
// work through TLS as they do without.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "net/http_client.h"
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

class HttpClientTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_TRUE(zb::testing::MakeTestCerts(certs()));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string certs() { return *dir_ / "certs"; }
  static std::string ca() { return certs() + "/ca.pem"; }

  // A server with certificate `name` (good, other, expired).
  std::unique_ptr<HttpTestServer> Serve(const std::string& name) {
    return std::make_unique<HttpTestServer>(*dir_ / ("server-" + name + "-" + std::to_string(++n_)),
                                            certs(), name);
  }

  static HttpEndpoint Endpoint(const HttpTestServer& server, std::string host = "127.0.0.1",
                               std::string ca_bundle = ca()) {
    return {.scheme = "https",
            .host = std::move(host),
            .port = static_cast<uint16_t>(server.port()),
            .ca_bundle = std::move(ca_bundle)};
  }

  // GET /echo; the response's status or the error.
  static Result<std::string> Echo(const HttpEndpoint& endpoint, HttpOptions options = {}) {
    ZB_ASSIGN_OR_RETURN(auto client, HttpClient::Create(endpoint, options));
    StringSink out;
    ZB_ASSIGN_OR_RETURN(HttpResponse r, client->Send({.target = "/echo"}, out, kNoLimit));
    if (r.status != 200) return Status::IOError("status " + std::to_string(r.status));
    return out.data();
  }

  static std::string Where(const HttpTestServer& server) {
    return "127.0.0.1:" + std::to_string(server.port());
  }

  static TempDir* dir_;
  int n_ = 0;
};

TempDir* HttpClientTlsTest::dir_ = nullptr;

TEST_F(HttpClientTlsTest, TheRightCaVerifiesTheIpAddressAndTheName) {
  auto server = Serve("good");
  auto by_ip = Echo(Endpoint(*server));
  ASSERT_TRUE(by_ip.ok()) << by_ip.status().ToString();
  EXPECT_THAT(*by_ip, HasSubstr("header Host: 127.0.0.1:" + std::to_string(server->port())));
  auto by_name = Echo(Endpoint(*server, "localhost"));
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  EXPECT_THAT(*by_name, HasSubstr("header Host: localhost:" + std::to_string(server->port())));
}

// Our CA is in no system store: OpenSSL's reason comes back, and trying
// again would not help.
TEST_F(HttpClientTlsTest, TheSystemStoreRefusesAnUnknownCa) {
  auto server = Serve("good");
  auto r = Echo(Endpoint(*server, "127.0.0.1", /*ca_bundle=*/""));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_FALSE(r.status().retryable());
  EXPECT_EQ(r.status().message(),
            Where(*server) +
                ": TLS handshake: certificate verify failed: self-signed certificate in "
                "certificate chain");
}

TEST_F(HttpClientTlsTest, ACertificateForAnotherHostIsRefused) {
  auto server = Serve("other");
  auto by_ip = Echo(Endpoint(*server));
  ASSERT_FALSE(by_ip.ok());
  EXPECT_EQ(by_ip.status().message(),
            Where(*server) + ": TLS handshake: certificate verify failed: IP address mismatch");
  auto by_name = Echo(Endpoint(*server, "localhost"));
  ASSERT_FALSE(by_name.ok());
  EXPECT_EQ(by_name.status().message(), "localhost:" + std::to_string(server->port()) +
                                            ": TLS handshake: certificate verify failed: "
                                            "hostname mismatch");
  EXPECT_FALSE(by_name.status().retryable());
}

TEST_F(HttpClientTlsTest, AnExpiredCertificateIsRefused) {
  auto server = Serve("expired");
  auto r = Echo(Endpoint(*server));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            Where(*server) + ": TLS handshake: certificate verify failed: certificate has expired");
}

TEST_F(HttpClientTlsTest, VerifyOffAcceptsAnyCertificate) {
  auto server = Serve("other");
  HttpEndpoint endpoint = Endpoint(*server, "127.0.0.1", "");
  endpoint.verify = false;
  auto r = Echo(endpoint);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(HttpClientTlsTest, AMissingCaBundleIsAnErrorAtCreate) {
  auto r = HttpClient::Create(
      {.scheme = "https", .host = "127.0.0.1", .port = 1, .ca_bundle = *dir_ / "absent.pem"}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(),
              StartsWith("CA bundle " + *dir_ / "absent.pem" + ": cannot load: "));
}

TEST_F(HttpClientTlsTest, TlsToAPlainHttpServerIsAHandshakeError) {
  HttpTestServer plain(*dir_ / "server-plain");
  auto r = Echo({.scheme = "https",
                 .host = "127.0.0.1",
                 .port = static_cast<uint16_t>(plain.port()),
                 .ca_bundle = ca()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIOError);
  EXPECT_FALSE(r.status().retryable());
  EXPECT_THAT(r.status().message(), StartsWith(Where(plain) + ": TLS handshake: "));
}

// A server that takes the connection and never speaks TLS: the handshake
// runs into the connect timeout.
TEST_F(HttpClientTlsTest, AHandshakeThatNeverCompletesIsATimeout) {
  zb::testing::SilentListener silent;
  auto r = Echo({.scheme = "https",
                 .host = "127.0.0.1",
                 .port = static_cast<uint16_t>(silent.port()),
                 .ca_bundle = ca()},
                {.connect_timeout = std::chrono::seconds(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTimeout);
  EXPECT_TRUE(r.status().retryable());
  EXPECT_EQ(r.status().message(),
            "127.0.0.1:" + std::to_string(silent.port()) + ": TLS handshake: timed out after 1s");
}

TEST_F(HttpClientTlsTest, StreamsBothWaysAndKeepsTheConnection) {
  constexpr uint64_t kSize = 16 << 20;
  auto server = Serve("good");
  auto client = HttpClient::Create(Endpoint(*server), {});
  ASSERT_TRUE(client.ok()) << client.status().ToString();

  PatternSource up(kSize);
  StringSink echo;
  auto put = (*client)->Send(
      {.method = "PUT", .target = "/echo", .body = &up, .content_length = kSize}, echo, kNoLimit);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_THAT(echo.data(), HasSubstr("\nbody_bytes " + std::to_string(kSize) + "\npattern ok\n"));

  PatternSink down;
  auto get = (*client)->Send({.target = "/bytes?n=" + std::to_string(kSize)}, down, kSize);
  ASSERT_TRUE(get.ok()) << get.status().ToString();
  EXPECT_EQ(down.bytes(), kSize);
  EXPECT_EQ(down.mismatch(), -1);
  EXPECT_EQ(server->Opened(), 1);
}

TEST_F(HttpClientTlsTest, ReconnectsWhenTheServerClosedTheIdleConnection) {
  auto server = Serve("good");
  auto client = HttpClient::Create(Endpoint(*server), {});
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  StringSink first;
  ASSERT_TRUE((*client)->Send({.target = "/bye"}, first, kNoLimit).ok());
  ASSERT_TRUE(server->WaitClosed(1));
  PatternSource body(1000);
  StringSink second;
  auto r =
      (*client)->Send({.method = "PUT", .target = "/echo", .body = &body, .content_length = 1000},
                      second, kNoLimit);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(second.data(), HasSubstr("\nconnection 2\nbody_bytes 1000\npattern ok\n"));
  EXPECT_EQ(server->Opened(), 2);
}

}  // namespace
}  // namespace zb::net
