#include "schedule/cron.h"

#include <gtest/gtest.h>

namespace zb::schedule {
namespace {

struct NextCase {
  const char* expression;
  const char* zone;
  const char* after;
  const char* next;
};

class CronNextTest : public ::testing::TestWithParam<NextCase> {};

TEST_P(CronNextTest, NextRun) {
  const NextCase& c = GetParam();
  auto s = Schedule::Parse(c.expression);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const TimePoint next = s->Next(*ParseRfc3339(c.after), *Zone::Load(c.zone));
  EXPECT_EQ(FormatRfc3339(next), c.next)
      << c.expression << " in " << c.zone << " after " << c.after;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronNextTest,
    ::testing::Values(
        // Basics, UTC.
        NextCase{"* * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"},
        NextCase{"* * * * *", "UTC", "2026-01-01T00:00:30Z", "2026-01-01T00:01:00Z"},
        NextCase{"0 * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"},
        NextCase{"*/15 * * * *", "UTC", "2026-01-01T00:07:00Z", "2026-01-01T00:15:00Z"},
        NextCase{"*/15 * * * *", "UTC", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"},
        NextCase{"5,35 * * * *", "UTC", "2026-01-01T00:35:00Z", "2026-01-01T01:05:00Z"},
        NextCase{"0 0 * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"},
        NextCase{"30 2 * * *", "UTC", "2026-01-01T03:00:00Z", "2026-01-02T02:30:00Z"},
        NextCase{"0 9-17/4 * * *", "UTC", "2026-01-01T10:00:00Z", "2026-01-01T13:00:00Z"},
        NextCase{"0 9-17/4 * * *", "UTC", "2026-01-01T17:00:00Z", "2026-01-02T09:00:00Z"},
        NextCase{"1-5/2 * * * *", "UTC", "2026-01-01T00:03:00Z", "2026-01-01T00:05:00Z"},
        NextCase{"10/20 * * * *", "UTC", "2026-01-01T00:31:00Z", "2026-01-01T00:50:00Z"},
        NextCase{"*/20 */6 * * *", "UTC", "2026-01-01T06:40:00Z", "2026-01-01T12:00:00Z"},
        NextCase{"0 0 1 * *", "UTC", "2026-01-31T12:00:00Z", "2026-02-01T00:00:00Z"},
        NextCase{"0 0 31 * *", "UTC", "2026-04-15T00:00:00Z", "2026-05-31T00:00:00Z"},
        NextCase{"59 23 31 12 *", "UTC", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"},
        NextCase{"0 0 * jan,jul *", "UTC", "2026-02-01T00:00:00Z", "2026-07-01T00:00:00Z"},
        NextCase{"0 0 * DEC FRI", "UTC", "2026-11-25T00:00:00Z", "2026-12-04T00:00:00Z"},
        NextCase{"0 12 * * mon-fri", "UTC", "2026-11-27T12:00:00Z", "2026-11-30T12:00:00Z"},
        NextCase{"0 0 * * 1-5", "UTC", "2026-11-27T00:00:00Z", "2026-11-30T00:00:00Z"},
        NextCase{"0 0 * * sat,sun", "UTC", "2026-11-25T00:00:00Z", "2026-11-28T00:00:00Z"},
        // Sunday is 0, 7 and sun.
        NextCase{"0 0 * * 0", "UTC", "2026-11-25T00:00:00Z", "2026-11-29T00:00:00Z"},
        NextCase{"0 0 * * 7", "UTC", "2026-11-25T00:00:00Z", "2026-11-29T00:00:00Z"},
        NextCase{"0 0 * * sun", "UTC", "2026-11-25T00:00:00Z", "2026-11-29T00:00:00Z"},
        NextCase{"0 0 * * 5-7", "UTC", "2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z"},
        // Day of month OR day of week when both are restricted...
        NextCase{"0 0 1 * mon", "UTC", "2026-11-25T00:00:00Z", "2026-11-30T00:00:00Z"},
        NextCase{"0 0 1 * mon", "UTC", "2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z"},
        NextCase{"0 0 1,15 * 5", "UTC", "2026-11-25T00:00:00Z", "2026-11-27T00:00:00Z"},
        NextCase{"0 0 13 * fri", "UTC", "2026-11-25T00:00:00Z", "2026-11-27T00:00:00Z"},
        // ...AND when either starts with '*' (Vixie's rule, even for */n).
        NextCase{"0 0 */2 * mon", "UTC", "2026-11-25T00:00:00Z", "2026-12-07T00:00:00Z"},
        NextCase{"0 0 * * mon", "UTC", "2026-11-25T00:00:00Z", "2026-11-30T00:00:00Z"},
        NextCase{"0 0 13 * *", "UTC", "2026-11-25T00:00:00Z", "2026-12-13T00:00:00Z"},
        // Leap days.
        NextCase{"0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"},
        NextCase{"0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"},
        NextCase{"0 0 28 2 *", "UTC", "2028-02-28T00:00:00Z", "2029-02-28T00:00:00Z"},
        NextCase{"0 0 * 2 *", "UTC", "2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z"},
        NextCase{"0 0 * 2 *", "UTC", "2027-02-28T00:00:00Z", "2028-02-01T00:00:00Z"},
        // Macros.
        NextCase{"@hourly", "UTC", "2026-01-01T00:30:00Z", "2026-01-01T01:00:00Z"},
        NextCase{"@daily", "UTC", "2026-01-01T00:30:00Z", "2026-01-02T00:00:00Z"},
        NextCase{"@midnight", "UTC", "2026-01-01T23:59:59Z", "2026-01-02T00:00:00Z"},
        NextCase{"@weekly", "UTC", "2026-11-25T00:00:00Z", "2026-11-29T00:00:00Z"},
        NextCase{"@monthly", "UTC", "2026-11-25T00:00:00Z", "2026-12-01T00:00:00Z"},
        NextCase{"@yearly", "UTC", "2026-11-25T00:00:00Z", "2027-01-01T00:00:00Z"},
        NextCase{"@annually", "UTC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"},
        NextCase{"@HOURLY", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"},
        NextCase{"@every 15m", "UTC", "2026-01-01T00:07:13Z", "2026-01-01T00:22:13Z"},
        NextCase{"@every 1h30m", "Europe/Berlin", "2026-03-29T00:30:00Z", "2026-03-29T02:00:00Z"},
        NextCase{"@every 1s", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"},
        NextCase{"@every 7d", "UTC", "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z"},
        // Local time.
        NextCase{"0 0 * * *", "Europe/Berlin", "2026-01-01T00:00:00Z", "2026-01-01T23:00:00Z"},
        NextCase{"0 0 * * *", "Europe/Berlin", "2026-07-01T00:00:00Z", "2026-07-01T22:00:00Z"},
        NextCase{"0 0 * * *", "America/New_York", "2026-01-01T00:00:00Z", "2026-01-01T05:00:00Z"},
        // Berlin spring forward, 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z):
        // a skipped time runs once, right after the gap.
        NextCase{"30 2 * * *", "Europe/Berlin", "2026-03-28T02:00:00Z", "2026-03-29T01:00:00Z"},
        NextCase{"30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"},
        NextCase{"0 2 * * *", "Europe/Berlin", "2026-03-28T02:00:00Z", "2026-03-29T01:00:00Z"},
        NextCase{"*/15 * * * *", "Europe/Berlin", "2026-03-29T00:50:00Z", "2026-03-29T01:00:00Z"},
        NextCase{"*/15 * * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z"},
        NextCase{"0 3 * * *", "Europe/Berlin", "2026-03-28T03:00:00Z", "2026-03-29T01:00:00Z"},
        NextCase{"59 1 * * *", "Europe/Berlin", "2026-03-28T02:00:00Z", "2026-03-29T00:59:00Z"},
        // Berlin fall back, 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z):
        // a repeated time runs once, the first time.
        NextCase{"0 2 * * *", "Europe/Berlin", "2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z"},
        NextCase{"0 2 * * *", "Europe/Berlin", "2026-10-25T00:00:00Z", "2026-10-26T01:00:00Z"},
        NextCase{"30 * * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z"},
        NextCase{"30 * * * *", "Europe/Berlin", "2026-10-25T01:10:00Z", "2026-10-25T02:30:00Z"},
        NextCase{"*/30 * * * *", "Europe/Berlin", "2026-10-25T00:45:00Z", "2026-10-25T02:00:00Z"},
        NextCase{"0 3 * * *", "Europe/Berlin", "2026-10-24T23:00:00Z", "2026-10-25T02:00:00Z"},
        NextCase{"@daily", "Europe/Berlin", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"},
        // New York, 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z) and
        // 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
        NextCase{"30 2 * * *", "America/New_York", "2026-03-07T08:00:00Z", "2026-03-08T07:00:00Z"},
        NextCase{"30 2 * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"},
        NextCase{"0 * * * *", "America/New_York", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"},
        NextCase{"0 * * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"},
        NextCase{"30 1 * * *", "America/New_York", "2026-10-31T06:00:00Z", "2026-11-01T05:30:00Z"},
        NextCase{"30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"},
        NextCase{"0 * * * *", "America/New_York", "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"},
        NextCase{"0 0 * * sun", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T04:00:00Z"},
        // Lord Howe moves by 30 minutes: 2026-10-04 02:00 -> 02:30 (15:30Z
        // on the 3rd) and 2026-04-05 02:00 -> 01:30 (15:00Z on the 4th).
        NextCase{"15 2 * * *", "Australia/Lord_Howe", "2026-10-03T15:00:00Z",
                 "2026-10-03T15:30:00Z"},
        NextCase{"15 2 * * *", "Australia/Lord_Howe", "2026-10-03T15:30:00Z",
                 "2026-10-04T15:15:00Z"},
        NextCase{"45 2 * * *", "Australia/Lord_Howe", "2026-10-03T15:00:00Z",
                 "2026-10-03T15:45:00Z"},
        NextCase{"*/20 * * * *", "Australia/Lord_Howe", "2026-10-03T15:25:00Z",
                 "2026-10-03T15:30:00Z"},
        NextCase{"45 1 * * *", "Australia/Lord_Howe", "2026-04-04T14:00:00Z",
                 "2026-04-04T14:45:00Z"},
        NextCase{"45 1 * * *", "Australia/Lord_Howe", "2026-04-04T14:45:00Z",
                 "2026-04-05T15:15:00Z"},
        NextCase{"0 2 * * *", "Australia/Lord_Howe", "2026-04-04T14:30:00Z",
                 "2026-04-04T15:30:00Z"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

struct ErrorCase {
  const char* expression;
  const char* message;
};

class CronErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(CronErrorTest, ExactMessage) {
  auto s = Schedule::Parse(GetParam().expression);
  ASSERT_FALSE(s.ok()) << GetParam().expression;
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronErrorTest,
    ::testing::Values(
        ErrorCase{"",
                  "schedule \"\": empty (use five cron fields, a macro like @hourly, or "
                  "@every 15m)"},
        ErrorCase{"* * * *",
                  "schedule \"* * * *\": expected 5 fields (minute hour day-of-month "
                  "month day-of-week), found 4"},
        ErrorCase{"* * * * * *",
                  "schedule \"* * * * * *\": expected 5 fields (minute hour "
                  "day-of-month month day-of-week), found 6"},
        ErrorCase{"*/0 * * * *",
                  "schedule \"*/0 * * * *\": minute field \"*/0\": step 0 at character 3"},
        ErrorCase{"60 * * * *",
                  "schedule \"60 * * * *\": minute field \"60\": value 60 is "
                  "outside 0-59 at character 1"},
        ErrorCase{"* 24 * * *",
                  "schedule \"* 24 * * *\": hour field \"24\": value 24 is outside "
                  "0-23 at character 1"},
        ErrorCase{"* * 0 * *",
                  "schedule \"* * 0 * *\": day-of-month field \"0\": value 0 is "
                  "outside 1-31 at character 1"},
        ErrorCase{"* * * 13 *",
                  "schedule \"* * * 13 *\": month field \"13\": value 13 is outside "
                  "1-12 at character 1"},
        ErrorCase{"* * * * 8",
                  "schedule \"* * * * 8\": day-of-week field \"8\": value 8 is "
                  "outside 0-7 at character 1"},
        ErrorCase{"* * * foo *",
                  "schedule \"* * * foo *\": month field \"foo\": unknown name \"foo\" at "
                  "character 1"},
        ErrorCase{"* * * * mon-xyz",
                  "schedule \"* * * * mon-xyz\": day-of-week field "
                  "\"mon-xyz\": unknown name \"xyz\" at character 5"},
        ErrorCase{"5-3 * * * *",
                  "schedule \"5-3 * * * *\": minute field \"5-3\": range 5-3 is "
                  "backwards at character 1"},
        ErrorCase{"1,,2 * * * *",
                  "schedule \"1,,2 * * * *\": minute field \"1,,2\": unexpected "
                  "',' at character 3"},
        ErrorCase{"1, * * * *",
                  "schedule \"1, * * * *\": minute field \"1,\": a value is missing at character "
                  "3"},
        ErrorCase{"*/ * * * *",
                  "schedule \"*/ * * * *\": minute field \"*/\": a step is missing at character 3"},
        ErrorCase{"1x * * * *",
                  "schedule \"1x * * * *\": minute field \"1x\": unexpected 'x' at character 2"},
        ErrorCase{"0 0 31 4 *",
                  "schedule \"0 0 31 4 *\": matches no date (e.g. day 31 of a "
                  "30-day month)"},
        ErrorCase{"0 0 30 2 *",
                  "schedule \"0 0 30 2 *\": matches no date (e.g. day 31 of a "
                  "30-day month)"},
        ErrorCase{"@fortnightly",
                  "schedule \"@fortnightly\": unknown macro @fortnightly (use "
                  "@yearly, @monthly, @weekly, @daily, @hourly or @every "
                  "<duration>)"},
        ErrorCase{"@reboot",
                  "schedule \"@reboot\": unknown macro @reboot (use @yearly, "
                  "@monthly, @weekly, @daily, @hourly or @every <duration>)"},
        ErrorCase{"@every", "schedule \"@every\": @every takes one duration, e.g. @every 15m"},
        ErrorCase{"@every 0s", "schedule \"@every 0s\": @every needs at least 1s"},
        ErrorCase{"@every 500ms", "schedule \"@every 500ms\": @every needs at least 1s"},
        ErrorCase{"@every soon",
                  "schedule \"@every soon\": invalid duration \"soon\": expected a "
                  "number (examples: 30s, 15m, 36h, 7d, 1h30m)"},
        ErrorCase{"@daily 5", "schedule \"@daily 5\": @daily takes no fields after it"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

TEST(CronTest, ThirtyMinutesStepThroughBerlinsFallBackRunOncePerLocalTime) {
  auto s = *Schedule::Parse("*/30 * * * *");
  const Zone berlin = *Zone::Load("Europe/Berlin");
  std::vector<std::string> runs;
  TimePoint t = *ParseRfc3339("2026-10-24T23:40:00Z");
  for (int i = 0; i < 5; ++i) runs.push_back(FormatRfc3339(t = s.Next(t, berlin)));
  // 02:00 and 02:30 CEST run; the repeated 02:00 and 02:30 CET do not.
  EXPECT_EQ(runs, (std::vector<std::string>{"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z",
                                            "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z",
                                            "2026-10-25T03:00:00Z"}));
}

// Found by fuzz/cron: Next added the interval to the instant without a
// bound, so an interval reaching past 2262 wrapped (signed overflow) to a
// time before `after`.
TEST(CronTest, AnIntervalPastTheEndOfTimeNeverComes) {
  auto s = Schedule::Parse("@every 36500d");  // the longest duration there is
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->Next(*ParseRfc3339("2200-01-01T00:00:00Z"), Zone::Utc()), TimePoint::max());
  EXPECT_EQ(s->Next(*ParseRfc3339("1970-01-01T00:00:00Z"), Zone::Utc()),
            TimePoint(std::chrono::hours(24 * 36500)));
}

}  // namespace
}  // namespace zb::schedule
