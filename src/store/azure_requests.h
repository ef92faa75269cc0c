// AzureRequests: authorized requests to one Azure Blob container, with the
// retries every operation shares (the shape of S3Requests). Each attempt is
// signed afresh with Shared Key (store/azure_shared_key.h), or carries the
// SAS token in its query instead; every request says x-ms-version
// kAzureApiVersion. Through a RequestRunner (connection pool, backoff with
// jitter) it retries what trying again can fix: transport errors marked
// retryable, timeouts, 500/502/503/504, 429 and the service's ServerBusy,
// OperationTimedOut and InternalError. Thread-safe.
//
// Nothing secret leaves here: errors name the target, the method and the
// object, the status, the service's error code, the first line of its
// message and its request id; never a header, the query string (which holds
// a SAS token's signature) or the key.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/stream.h"
#include "env/clock.h"
#include "net/http_client.h"
#include "store/azure_settings.h"
#include "store/request_runner.h"
#include "store/retry_policy.h"

namespace zb::store {

// 2021-08-06: Put Blob up to 5000 MiB, blocks up to 4000 MiB, Shared Key as
// azure_shared_key.h signs it; served by every Azure region and by Azurite
// 3.x since 3.19.
inline constexpr char kAzureApiVersion[] = "2021-08-06";

struct AzureCall {
  std::string method = "GET";
  std::string name{};  // the object's name for messages ("" for the container)
  std::string blob{};  // the full blob name; "" for a container-level request
  std::vector<std::pair<std::string, std::string>> query{};  // unencoded
  net::HttpHeaders headers{};
  ByteSpan body{};    // in memory, so every attempt can send it again
  bool once = false;  // a courtesy a later run redoes: one attempt, no retries
};

struct AzureOptions {
  RetryPolicy retry{};
  net::HttpOptions http{};
};

class AzureRequests {
 public:
  AzureRequests(AzureSettings settings, Clock& clock, AzureOptions options);
  ~AzureRequests();

  // Sends `call`, retrying as above. A 2xx body goes to `out` (at most
  // `max_body` bytes). Any other final status comes back as a response for
  // the caller to judge (Failure() turns it into a Status); a transport
  // error that outlived the retries is the error. When part of a body had
  // reached `out` before a failure, it is not retried: `delivered` (if
  // given) says how much, so the caller can resume with a range.
  Result<net::HttpResponse> Do(const AzureCall& call, ByteSink& out, uint64_t max_body,
                               uint64_t* delivered = nullptr);
  // The same with a 2xx body kept in memory (at most `max_body` bytes).
  Result<net::HttpResponse> Do(const AzureCall& call, std::string* body = nullptr,
                               uint64_t max_body = 1 << 20);

  // A non-2xx response as an error: kNotFound for ContainerNotFound (saying
  // so), kIOError otherwise, naming the target, the method, the object, the
  // status, the service's code and message, and retryable as Do judged it.
  Status Failure(const AzureCall& call, const net::HttpResponse& response) const;

  const AzureSettings& settings() const { return settings_; }
  Clock& clock() { return runner_.clock(); }
  const RetryPolicy& retry_policy() const { return runner_.retry_policy(); }

 private:
  // The authorized request of one attempt.
  Result<net::HttpRequest> Sign(const AzureCall& call);
  // "azblob://a/c/p: PUT name", or "... GET container c" for the container.
  std::string What(const AzureCall& call) const;

  AzureSettings settings_;
  RequestRunner runner_;
};

// The error code of a response: the x-ms-error-code header (also on HEAD,
// which has no body), else the body's <Code>.
std::string AzureErrorCode(const net::HttpResponse& response);

// Whether a response is worth trying again.
bool IsRetryableAzureStatus(int status, std::string_view error_code);

}  // namespace zb::store
