#include "retention/decide.h"

#include <gtest/gtest.h>

namespace zb::retention {
namespace {

using namespace std::chrono_literals;

// Snapshots as "id@RFC3339"; the result as "id: keep|remove (reasons)",
// newest first, so each case reads as a table.
std::vector<std::string> Table(const char* zone, const Policy& p,
                               const std::vector<std::string>& snaps) {
  std::vector<SnapshotRef> refs;
  for (const auto& s : snaps) {
    auto at = s.find('@');
    refs.push_back({s.substr(0, at), *ParseRfc3339(s.substr(at + 1))});
  }
  EXPECT_TRUE(Validate(p).ok());
  std::vector<std::string> out;
  const auto decisions = Decide(refs, p, *Zone::Load(zone));
  for (const auto& d : decisions) {
    std::string line = d.id + ": " + (d.keep ? "keep" : "remove");
    for (size_t i = 0; i < d.reasons.size(); ++i) line += (i ? ", " : " (") + d.reasons[i];
    out.push_back(line + (d.reasons.empty() ? "" : ")"));
  }
  if (!decisions.empty()) EXPECT_TRUE(decisions.front().keep) << "the newest is always kept";
  return out;
}

Policy Only(int Policy::*field, int n) {
  Policy p;
  p.*field = n;
  return p;
}

TEST(DecideTest, KeepLastKeepsTheNewest) {
  EXPECT_EQ(Table("UTC", Only(&Policy::last, 2),
                  {"a@2026-01-01T00:00:00Z", "c@2026-01-03T00:00:00Z", "b@2026-01-02T00:00:00Z"}),
            (std::vector<std::string>{"c: keep (last)", "b: keep (last)", "a: remove"}));
}

TEST(DecideTest, DailyKeepsTheNewestOfEachOfTheMostRecentDaysThatHaveOne) {
  EXPECT_EQ(
      Table("UTC", Only(&Policy::daily, 3),
            {"d1@2026-05-01T10:00:00Z", "d2a@2026-05-02T08:00:00Z", "d2b@2026-05-02T20:00:00Z",
             "d5@2026-05-05T01:00:00Z", "d9@2026-05-09T23:59:59Z"}),
      (std::vector<std::string>{"d9: keep (daily 2026-05-09)", "d5: keep (daily 2026-05-05)",
                                "d2b: keep (daily 2026-05-02)", "d2a: remove", "d1: remove"}));
}

TEST(DecideTest, DaysAreLocalDays) {
  const std::vector<std::string> snaps = {"late@2026-06-30T23:30:00Z",
                                          "early@2026-06-30T21:00:00Z"};
  // 23:30 UTC is already July 1st in Berlin (UTC+2), 21:00 is not.
  EXPECT_EQ(Table("Europe/Berlin", Only(&Policy::daily, 5), snaps),
            (std::vector<std::string>{"late: keep (daily 2026-07-01)",
                                      "early: keep (daily 2026-06-30)"}));
  EXPECT_EQ(Table("UTC", Only(&Policy::daily, 5), snaps),
            (std::vector<std::string>{"late: keep (daily 2026-06-30)", "early: remove"}));
}

TEST(DecideTest, BerlinFallBackRepeatedHourIsOnePeriod) {
  // 2026-10-25: 03:00 CEST -> 02:00 CET. These four are 02:00, 02:30 CEST
  // and 02:00, 02:30 CET: one local hour, so one hourly keep.
  EXPECT_EQ(Table("Europe/Berlin", Only(&Policy::hourly, 24),
                  {"s1@2026-10-25T00:00:00Z", "s2@2026-10-25T00:30:00Z", "s3@2026-10-25T01:00:00Z",
                   "s4@2026-10-25T01:30:00Z", "s5@2026-10-25T02:00:00Z"}),
            (std::vector<std::string>{"s5: keep (hourly 2026-10-25 03:00)",
                                      "s4: keep (hourly 2026-10-25 02:00)", "s3: remove",
                                      "s2: remove", "s1: remove"}));
}

TEST(DecideTest, BerlinSpringForwardSkippedHourHasNoPeriod) {
  // 2026-03-29: 02:00 CET -> 03:00 CEST; 00:59Z is 01:59 CET, 01:00Z is 03:00 CEST.
  EXPECT_EQ(Table("Europe/Berlin", Only(&Policy::hourly, 2),
                  {"a@2026-03-29T00:59:00Z", "b@2026-03-29T01:00:00Z", "c@2026-03-29T00:10:00Z"}),
            (std::vector<std::string>{"b: keep (hourly 2026-03-29 03:00)",
                                      "a: keep (hourly 2026-03-29 01:00)", "c: remove"}));
}

TEST(DecideTest, NewYorkDaysAcrossBothDstChanges) {
  // 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST. The
  // days are 23 and 25 hours long; each is still one daily period: n1
  // (00:30 EDT) and n2 (23:30 EST), 24 hours apart, are the same local day.
  EXPECT_EQ(
      Table("America/New_York", Only(&Policy::daily, 10),
            {"m1@2026-03-08T05:30:00Z", "m2@2026-03-09T03:30:00Z", "m0@2026-03-08T04:30:00Z",
             "n1@2026-11-01T04:30:00Z", "n2@2026-11-02T04:30:00Z", "n3@2026-11-01T06:30:00Z"}),
      (std::vector<std::string>{"n2: keep (daily 2026-11-01)", "n3: remove", "n1: remove",
                                "m2: keep (daily 2026-03-08)", "m1: remove",
                                "m0: keep (daily 2026-03-07)"}));
}

TEST(DecideTest, IsoWeeksAcrossYearEnds) {
  // 2026-12-28 (Mon) .. 2027-01-03 (Sun) is ISO week 2026-W53.
  EXPECT_EQ(Table("UTC", Only(&Policy::weekly, 2),
                  {"mon@2026-12-28T12:00:00Z", "sun@2027-01-03T12:00:00Z",
                   "next@2027-01-04T12:00:00Z", "old@2026-12-20T12:00:00Z"}),
            (std::vector<std::string>{"next: keep (weekly 2027-W01)", "sun: keep (weekly 2026-W53)",
                                      "mon: remove", "old: remove"}));
  // 2024-12-30 (Mon) belongs to 2025-W01.
  EXPECT_EQ(Table("UTC", Only(&Policy::weekly, 5),
                  {"a@2024-12-29T12:00:00Z", "b@2024-12-30T12:00:00Z", "c@2025-01-05T12:00:00Z"}),
            (std::vector<std::string>{"c: keep (weekly 2025-W01)", "b: remove",
                                      "a: keep (weekly 2024-W52)"}));
}

TEST(DecideTest, LeapDayMonthsAndYears) {
  Policy p;
  p.daily = 3;
  p.monthly = 2;
  p.yearly = 2;
  EXPECT_EQ(
      Table("UTC", p,
            {"feb28@2024-02-28T12:00:00Z", "feb29@2024-02-29T12:00:00Z",
             "mar01@2024-03-01T12:00:00Z", "dec@2023-12-31T23:00:00Z"}),
      (std::vector<std::string>{"mar01: keep (daily 2024-03-01, monthly 2024-03, yearly 2024)",
                                "feb29: keep (daily 2024-02-29, monthly 2024-02)",
                                "feb28: keep (daily 2024-02-28)", "dec: keep (yearly 2023)"}));
}

TEST(DecideTest, EqualTimestampsAreOrderedById) {
  EXPECT_EQ(Table("UTC", Only(&Policy::daily, 1),
                  {"ctrl-a@2026-02-02T02:02:02Z", "ctrl-b@2026-02-02T02:02:02Z"}),
            (std::vector<std::string>{"ctrl-b: keep (daily 2026-02-02)", "ctrl-a: remove"}));
}

TEST(DecideTest, KeepWithinCountsBackFromTheNewestStrictly) {
  Policy p;
  p.within = 36h;
  EXPECT_EQ(Table("UTC", p,
                  {"new@2026-04-10T12:00:00Z", "inside@2026-04-09T00:00:01Z",
                   "edge@2026-04-09T00:00:00Z", "old@2026-04-01T00:00:00Z"}),
            (std::vector<std::string>{"new: keep (within 1d12h)", "inside: keep (within 1d12h)",
                                      "edge: remove", "old: remove"}));
}

TEST(DecideTest, DowntimeDoesNotDeleteTheOldSnapshots) {
  // Three daily snapshots, then ten days without any, then one: the daily
  // rule counts days that have a snapshot, not calendar days back from now.
  EXPECT_EQ(
      Table("UTC", Only(&Policy::daily, 3),
            {"d1@2026-01-01T00:00:00Z", "d2@2026-01-02T00:00:00Z", "d3@2026-01-03T00:00:00Z",
             "back@2026-01-14T00:00:00Z"}),
      (std::vector<std::string>{"back: keep (daily 2026-01-14)", "d3: keep (daily 2026-01-03)",
                                "d2: keep (daily 2026-01-02)", "d1: remove"}));
}

TEST(DecideTest, ReasonsAddUpAndTheDefaultPolicyKeepsRecentOnes) {
  std::vector<std::string> snaps;
  for (int h = 0; h < 30; ++h) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "h%02d@2026-06-%02dT%02d:00:00Z", h, 24 + h / 24, h % 24);
    snaps.push_back(buf);
  }
  auto out = Table("UTC", Policy::Default(), snaps);
  ASSERT_EQ(out.size(), 30u);
  EXPECT_EQ(out[0],
            "h29: keep (last, hourly 2026-06-25 05:00, daily 2026-06-25, weekly 2026-W26, "
            "monthly 2026-06)");
  EXPECT_EQ(out[3], "h26: keep (hourly 2026-06-25 02:00)");
  EXPECT_EQ(out[6], "h23: keep (hourly 2026-06-24 23:00, daily 2026-06-24)");
  EXPECT_EQ(out[24], "h05: remove");
  EXPECT_EQ(out[29], "h00: remove");
}

TEST(DecideTest, EmptyListGivesNoDecisions) {
  EXPECT_TRUE(Decide({}, Policy::Default(), Zone::Utc()).empty());
}

TEST(PolicyTest, ValidateRefusesAPolicyThatKeepsNothingAndNegativeCounts) {
  EXPECT_EQ(Validate(Policy{}).message(),
            "the retention policy keeps nothing (every keep-* is 0 and keep-within is unset); "
            "set at least one, e.g. keep-last 3");
  EXPECT_EQ(Validate(Only(&Policy::daily, -1)).message(), "keep-daily is -1; it must be 0 or more");
  EXPECT_TRUE(Validate(Policy::Default()).ok());
  EXPECT_EQ(Policy::Default().ToString(), "last 3, hourly 24, daily 7, weekly 4, monthly 12");
  Policy w;
  w.within = 36h;
  EXPECT_EQ(w.ToString(), "within 1d12h");
}

}  // namespace
}  // namespace zb::retention
