#include "base/duration.h"

#include <gtest/gtest.h>

namespace zb {
namespace {

using namespace std::chrono_literals;

TEST(DurationTest, ParsesUnitsAndSums) {
  EXPECT_EQ(*ParseDuration("30s"), 30s);
  EXPECT_EQ(*ParseDuration("15m"), 15min);
  EXPECT_EQ(*ParseDuration("36h"), 36h);
  EXPECT_EQ(*ParseDuration("7d"), 168h);
  EXPECT_EQ(*ParseDuration("1h30m"), 90min);
  EXPECT_EQ(*ParseDuration("250ms"), 250ms);
  EXPECT_EQ(*ParseDuration("1m500ms"), 60500ms);
}

TEST(DurationTest, RejectsMalformedTextNamingIt) {
  EXPECT_EQ(ParseDuration("").status().message(),
            "invalid duration \"\": empty (examples: 30s, 15m, 36h, 7d, 1h30m)");
  EXPECT_EQ(ParseDuration("10").status().message(),
            "invalid duration \"10\": missing unit (examples: 30s, 15m, 36h, 7d, 1h30m)");
  EXPECT_EQ(ParseDuration("5w").status().message(),
            "invalid duration \"5w\": unknown unit (examples: 30s, 15m, 36h, 7d, 1h30m)");
  EXPECT_EQ(ParseDuration("h").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseDuration("-1s").status().code(), Code::kInvalidArgument);
}

// Found by fuzz/cron ("@every 888888830d"): the sum was taken in int64
// nanoseconds without a bound and wrapped (signed overflow).
TEST(DurationTest, RejectsWhatDoesNotFitRatherThanWrapping) {
  EXPECT_EQ(*ParseDuration("106751d"), 106751 * 24h);
  EXPECT_EQ(ParseDuration("888888830d").status().message(),
            "invalid duration \"888888830d\": too long (at most 106751d) (examples: 30s, 15m, "
            "36h, 7d, 1h30m)");
  EXPECT_EQ(ParseDuration("106751d24h").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseDuration("106752d").status().code(), Code::kInvalidArgument);
}

TEST(DurationTest, FormatsShortestForm) {
  EXPECT_EQ(FormatDuration(90min), "1h30m");
  EXPECT_EQ(FormatDuration(250ms), "250ms");
  EXPECT_EQ(FormatDuration(0s), "0s");
  EXPECT_EQ(FormatDuration(49h), "2d1h");
  EXPECT_EQ(FormatSeconds(1234ms), "1.234s");
}

}  // namespace
}  // namespace zb
