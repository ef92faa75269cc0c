#include "store/retry_policy.h"

#include <gtest/gtest.h>

namespace zb::store {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, DoublesWithJitterUpToTheCap) {
  const RetryPolicy p{.max_attempts = 6, .base = milliseconds(250), .cap = milliseconds(15000)};
  EXPECT_EQ(RetryDelay(p, 1, 0.0), milliseconds(125));
  EXPECT_EQ(RetryDelay(p, 1, 0.5), milliseconds(187));
  EXPECT_EQ(RetryDelay(p, 2, 0.0), milliseconds(250));
  EXPECT_EQ(RetryDelay(p, 3, 0.999), milliseconds(999));
  EXPECT_EQ(RetryDelay(p, 7, 0.0), milliseconds(7500)) << "250 * 64 is capped at 15 s";
  EXPECT_EQ(RetryDelay(p, 1000000, 1.0), milliseconds(15000)) << "no overflow";
  EXPECT_EQ(RetryDelay(p, 2, 7.0), milliseconds(500)) << "random01 is clamped";
}

}  // namespace
}  // namespace zb::store
