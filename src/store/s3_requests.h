// S3Requests: signed requests to one S3 target, with the retries every
// operation shares. It signs each attempt afresh (SigV4, the payload's
// SHA-256 signed, so the server checks the bytes it stored) and, through a
// RequestRunner (connection pool, backoff with jitter), retries what trying
// again can fix: transport errors marked retryable, timeouts,
// 500/502/503/504, 429 and S3's SlowDown and RequestTimeout. Thread-safe.
//
// Nothing secret leaves here: errors name the target, the method and the
// object, the status, the server's error code and message and its request
// id; never a header, the query string or a credential.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/stream.h"
#include "env/clock.h"
#include "net/http_client.h"
#include "store/request_runner.h"
#include "store/retry_policy.h"
#include "store/s3_settings.h"

namespace zb::store {

struct S3Call {
  std::string method = "GET";
  std::string name{};  // the object's name for messages ("" for the bucket)
  std::string key{};   // the full key; "" for a bucket-level request
  std::vector<std::pair<std::string, std::string>> query{};
  net::HttpHeaders headers{};
  ByteSpan body{};  // in memory, so every attempt can send it again
  // Sends the body's Content-MD5, which S3 wants with every write to a
  // bucket with Object Lock.
  bool content_md5 = false;
  bool once = false;  // a courtesy a later run redoes: one attempt, no retries
};

struct S3Options {
  RetryPolicy retry{};
  net::HttpOptions http{};
};

class S3Requests {
 public:
  S3Requests(S3Settings settings, Clock& clock, S3Options options);
  ~S3Requests();

  // Sends `call`, retrying as above. A 2xx body goes to `out` (at most
  // `max_body` bytes). Any other final status comes back as a response for
  // the caller to judge (Failure() turns it into a Status); a transport
  // error that outlived the retries is the error. When part of a body had
  // reached `out` before a failure, it is not retried: `delivered` (if
  // given) says how much, so the caller can resume with a Range.
  Result<net::HttpResponse> Do(const S3Call& call, ByteSink& out, uint64_t max_body,
                               uint64_t* delivered = nullptr);
  // The same with a 2xx body kept in memory (at most `max_body` bytes).
  Result<net::HttpResponse> Do(const S3Call& call, std::string* body = nullptr,
                               uint64_t max_body = 1 << 20);

  // A non-2xx response as an error: kNotFound for NoSuchBucket (saying so),
  // kIOError otherwise, naming the target, the method, the object, the
  // status, the server's code and message, and retryable as Do judged it.
  Status Failure(const S3Call& call, const net::HttpResponse& response) const;

  const S3Settings& settings() const { return settings_; }
  Clock& clock() { return runner_.clock(); }
  const RetryPolicy& retry_policy() const { return runner_.retry_policy(); }

 private:
  // The signed request of one attempt.
  Result<net::HttpRequest> Sign(const S3Call& call);
  // "s3://b/p: PUT name", or "... GET bucket b" for the bucket.
  std::string What(const S3Call& call) const;

  S3Settings settings_;
  RequestRunner runner_;
};

// Whether a response is worth trying again.
bool IsRetryableS3Status(int status, std::string_view error_code);

}  // namespace zb::store
