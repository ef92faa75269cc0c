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

TEST(DurationTest, RefusesWhatDoesNotFitInsteadOfWrapping) {
  EXPECT_EQ(*ParseDuration("36500d"), kMaxDuration);
  EXPECT_EQ(*ParseDuration("876000h"), kMaxDuration);
  EXPECT_EQ(*ParseDuration("36499d23h59m59s1000ms"), kMaxDuration);
  const std::string why = ": more than 100 years (36500d) (examples: 30s, 15m, 36h, 7d, 1h30m)";
  // 213503d and 600000000000h are past 2^63 ns: they used to wrap to a few
  // minutes, and a prune with that --keep-within removed nearly everything.
  EXPECT_EQ(ParseDuration("213503d").status().message(), "invalid duration \"213503d\"" + why);
  EXPECT_EQ(ParseDuration("36500d1ms").status().message(), "invalid duration \"36500d1ms\"" + why);
  EXPECT_EQ(ParseDuration("36501d").status().message(), "invalid duration \"36501d\"" + why);
  EXPECT_EQ(ParseDuration("1000000000d").status().message(),
            "invalid duration \"1000000000d\"" + why);
  EXPECT_EQ(ParseDuration("36000d36000d").status().message(),
            "invalid duration \"36000d36000d\"" + why);
  // Found by fuzz/cron ("@every 888888830d").
  EXPECT_EQ(ParseDuration("888888830d").status().message(),
            "invalid duration \"888888830d\"" + why);
  EXPECT_EQ(ParseDuration("600000000000h").status().message(),
            "invalid duration \"600000000000h\": number too large (examples: 30s, 15m, 36h, 7d, "
            "1h30m)");
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
