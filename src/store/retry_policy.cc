#include "store/retry_policy.h"

#include <algorithm>

namespace zb::store {

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry, double random01) {
  // Doubling stops at the cap, so no shift overflows however large `retry`.
  int64_t step = policy.base.count();
  for (int i = 1; i < retry && step < policy.cap.count(); ++i) step *= 2;
  step = std::min<int64_t>(step, policy.cap.count());
  const double r = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(step / 2 + static_cast<int64_t>((step - step / 2) * r));
}

}  // namespace zb::store
