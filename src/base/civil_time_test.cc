#include "base/civil_time.h"

#include <gtest/gtest.h>

namespace zb {
namespace {

TimePoint At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST(ZoneTest, ConvertsAcrossDaylightSavingInBerlin) {
  Zone berlin = *Zone::Load("Europe/Berlin");
  EXPECT_EQ(berlin.name(), "Europe/Berlin");
  // Winter (UTC+1) and summer (UTC+2).
  EXPECT_EQ(berlin.ToCivil(At("2026-01-15T11:00:00Z")), (CivilTime{2026, 1, 15, 12, 0, 0}));
  EXPECT_EQ(berlin.ToCivil(At("2026-07-15T11:00:00Z")), (CivilTime{2026, 7, 15, 13, 0, 0}));
  // 2026-03-29 02:00 -> 03:00: 02:30 does not exist and maps to 03:00 CEST.
  EXPECT_EQ(berlin.FromCivil({2026, 3, 29, 2, 30, 0}), At("2026-03-29T01:00:00Z"));
  // 2026-10-25 03:00 -> 02:00: 02:30 happens twice; the first is CEST.
  EXPECT_EQ(berlin.FromCivil({2026, 10, 25, 2, 30, 0}), At("2026-10-25T00:30:00Z"));
  EXPECT_EQ(berlin.ToCivil(At("2026-10-25T01:30:00Z")), (CivilTime{2026, 10, 25, 2, 30, 0}));
}

TEST(ZoneTest, UnknownZoneIsAnErrorNamingIt) {
  auto z = Zone::Load("Mars/Olympus");
  EXPECT_EQ(z.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(z.status().message(),
            "unknown time zone \"Mars/Olympus\" (use a zoneinfo name like UTC or Europe/Berlin)");
  EXPECT_FALSE(Zone::Load("").ok());
  EXPECT_EQ(Zone::Utc().ToCivil(At("2024-02-29T23:59:59Z")), (CivilTime{2024, 2, 29, 23, 59, 59}));
}

// Seen by fuzz/cron (CRON_TZ=libc:e/ in loaded): Abseil's special names and
// paths are not zoneinfo names. "libc:Mars" was UTC; "/dev/stdin" blocked.
TEST(ZoneTest, OnlyZoneinfoNamesNotAbseilsPrefixesOrPaths) {
  for (const char* name : {"libc:Mars/Olympus", "libc:localtime", "file:/usr/share/zoneinfo/UTC",
                           "/usr/share/zoneinfo/UTC", "../zoneinfo/UTC", "Europe/../UTC"}) {
    auto z = Zone::Load(name);
    EXPECT_EQ(z.status().message(), "unknown time zone \"" + std::string(name) +
                                        "\" (use a zoneinfo name like UTC or Europe/Berlin)");
  }
  EXPECT_TRUE(Zone::Load("America/St_Johns").ok());
  EXPECT_TRUE(Zone::Load("Etc/GMT+5").ok());
}

TEST(IsoWeekTest, YearEndsAndLeapYears) {
  EXPECT_EQ(IsoWeekday(2026, 11, 25), 3);                 // a Wednesday
  EXPECT_EQ(IsoWeekOf(2026, 1, 1), (IsoWeek{2026, 1}));   // Thursday
  EXPECT_EQ(IsoWeekOf(2027, 1, 1), (IsoWeek{2026, 53}));  // Friday: last week of 2026
  EXPECT_EQ(IsoWeekOf(2026, 12, 31), (IsoWeek{2026, 53}));
  EXPECT_EQ(IsoWeekOf(2024, 12, 30), (IsoWeek{2025, 1}));  // Monday of 2025's week 1
  EXPECT_EQ(IsoWeekOf(2021, 1, 3), (IsoWeek{2020, 53}));
  EXPECT_EQ(IsoWeekOf(2024, 2, 29), (IsoWeek{2024, 9}));
  EXPECT_EQ(IsoWeekOf(2023, 1, 1), (IsoWeek{2022, 52}));  // Sunday
}

TEST(Rfc3339Test, FormatsUtcAndParsesOffsets) {
  EXPECT_EQ(FormatRfc3339(At("2026-06-25T00:04:36Z")), "2026-06-25T00:04:36Z");
  EXPECT_EQ(At("2026-06-25T02:04:36+02:00"), At("2026-06-25T00:04:36Z"));
  EXPECT_EQ(ParseRfc3339("yesterday").status().code(), Code::kInvalidArgument);
}

// Found by fuzz/manifest: a time a TimePoint cannot hold was clamped to the
// nearest end of its range instead of refused.
TEST(Rfc3339Test, RefusesTimesATimePointCannotHold) {
  EXPECT_EQ(FormatRfc3339(At("2262-04-11T23:47:16Z")), "2262-04-11T23:47:16Z");
  EXPECT_EQ(ParseRfc3339("5285-06-25T00:04:36Z").status().message(),
            "invalid RFC 3339 time \"5285-06-25T00:04:36Z\": outside 1677-09-21 .. 2262-04-11");
  EXPECT_EQ(ParseRfc3339("2262-04-11T23:47:17Z").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseRfc3339("1677-09-21T00:12:43Z").status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(ParseRfc3339("1677-09-21T00:12:44Z").ok());
}

}  // namespace
}  // namespace zb
