// How long to wait before trying a request again: exponential backoff with
// jitter, capped, for a bounded number of attempts (AWS's "Exponential
// Backoff And Jitter", the equal-jitter variant: never less than half the
// step, so retries really do back off). Pure; thread-safe.
#pragma once

#include <chrono>

namespace zb::store {

struct RetryPolicy {
  int max_attempts = 6;  // the first try included
  std::chrono::milliseconds base{250};
  std::chrono::milliseconds cap{15'000};
};

// The wait before retry number `retry` (1 = after the first failure), for
// `random01` in [0, 1): half of min(cap, base * 2^(retry-1)), plus that
// half times random01.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry, double random01);

}  // namespace zb::store
