// RequestRunner against a real HTTP server (tests/net/http_test_server.py)
// and a refused port: how many attempts each kind of failure gets, and
// that a courtesy call (`once`) gets exactly one. Time is a FakeClock, so
// the backoff between attempts costs nothing.
#include "store/request_runner.h"

#include <gtest/gtest.h>

#include "testutil/fake_clock.h"
#include "testutil/http_test_server.h"
#include "testutil/run.h"

namespace zb::store {
namespace {

using zb::testing::FakeClock;
using zb::testing::HttpTestServer;
using zb::testing::RefusingPort;
using zb::testing::TempDir;

class RequestRunnerTest : public ::testing::Test {
 protected:
  RequestRunner Runner(int port) {
    return RequestRunner(
        net::HttpEndpoint{
            .scheme = "http", .host = "127.0.0.1", .port = static_cast<uint16_t>(port)},
        net::HttpOptions{}, RetryPolicy{.max_attempts = 4}, clock_, "s3://b/p");
  }
  // Sends GET `target`, counting the attempts (each signs afresh).
  Result<net::HttpResponse> Get(RequestRunner& runner, const std::string& target, bool once) {
    StringSink out;
    return runner.Do(
        [&]() -> Result<net::HttpRequest> {
          ++attempts_;
          return net::HttpRequest{.method = "GET", .target = target};
        },
        {}, [](const net::HttpResponse& r) { return r.status == 503; }, "s3://b/p: GET x", out,
        1 << 20, nullptr, once);
  }

  TempDir dir_;
  FakeClock clock_;
  int attempts_ = 0;
};

TEST_F(RequestRunnerTest, ARetryableStatusGetsEveryAttemptThenComesBack) {
  HttpTestServer server(dir_ / "server");
  RequestRunner runner = Runner(server.port());
  auto r = Get(runner, "/status?code=503&n=10", false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(attempts_, 4);
}

TEST_F(RequestRunnerTest, AStatusTheServiceCallsFinalIsNotRetried) {
  HttpTestServer server(dir_ / "server");
  RequestRunner runner = Runner(server.port());
  auto r = Get(runner, "/status?code=403&n=10", false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(attempts_, 1);
}

TEST_F(RequestRunnerTest, ACourtesyCallGetsOneAttempt) {
  HttpTestServer server(dir_ / "server");
  RequestRunner runner = Runner(server.port());
  auto r = Get(runner, "/status?code=503&n=10", true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(attempts_, 1);
}

TEST_F(RequestRunnerTest, ARefusedConnectionIsRetriedButNotForACourtesyCall) {
  RefusingPort refusing;
  RequestRunner runner = Runner(refusing.port());
  auto r = Get(runner, "/x", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("s3://b/p: GET x: ", 0), 0u) << r.status().ToString();
  EXPECT_EQ(attempts_, 4);
  attempts_ = 0;
  auto once = Get(runner, "/x", true);
  ASSERT_FALSE(once.ok());
  EXPECT_EQ(attempts_, 1);
}

}  // namespace
}  // namespace zb::store
