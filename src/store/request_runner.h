// RequestRunner: what the object-store request layers (s3_requests,
// azure_requests) share: a small pool of keep-alive connections to one
// endpoint (one per concurrent request) and the retry loop. Each service
// signs its own requests and judges its own error codes; the runner asks
// for a freshly signed request on every attempt (a signature carries the
// time), attaches the in-memory body, and retries transport errors marked
// retryable, timeouts, and the responses the service calls retryable, with
// backoff and jitter (retry_policy.h). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/stream.h"
#include "env/clock.h"
#include "net/http_client.h"
#include "store/retry_policy.h"

namespace zb::store {

class RequestRunner {
 public:
  // `target` ("s3://bucket/prefix") names the target when a connection
  // cannot even be set up.
  RequestRunner(net::HttpEndpoint endpoint, net::HttpOptions http, RetryPolicy retry, Clock& clock,
                std::string target);
  ~RequestRunner();

  // Whether a request sends a body (and so a Content-Length): when it has
  // one, and always for PUT and POST, whose empty body is still a body.
  static bool SendsBody(std::string_view method, ByteSpan body);

  // Sends the request `sign` makes (without a body: `body` is attached),
  // retrying as above. A 2xx body goes to `out` (at most `max_body`
  // bytes). Any other final status comes back as a response; a transport
  // error that outlived the retries is the error, with `what` ("s3://b/p:
  // PUT name") as its context. When part of a body had reached `out`
  // before a failure, it is not retried: `delivered` (if given) says how
  // much, so the caller can resume with a Range. `once`: a single attempt,
  // for what is only a courtesy (a later run does it anyway), so that a
  // dead server does not hold up the run's end with backoff.
  Result<net::HttpResponse> Do(const std::function<Result<net::HttpRequest>()>& sign, ByteSpan body,
                               const std::function<bool(const net::HttpResponse&)>& retryable,
                               const std::string& what, ByteSink& out, uint64_t max_body,
                               uint64_t* delivered, bool once = false);

  Clock& clock() { return clock_; }
  const RetryPolicy& retry_policy() const { return retry_; }

 private:
  Result<std::unique_ptr<net::HttpClient>> Acquire();
  void Release(std::unique_ptr<net::HttpClient> client);
  // Waits before retry number `retry` (1-based), with jitter.
  void Backoff(int retry);

  const net::HttpEndpoint endpoint_;
  const net::HttpOptions http_;
  const RetryPolicy retry_;
  Clock& clock_;
  const std::string target_;
  std::mutex mu_;
  std::vector<std::unique_ptr<net::HttpClient>> idle_;  // guarded by mu_
  std::mt19937_64 rng_;                                 // guarded by mu_
};

}  // namespace zb::store
