#include "schedule/scheduler.h"

#include <gtest/gtest.h>

#include "testutil/fake_clock.h"

namespace zb::schedule {
namespace {

using namespace std::chrono_literals;

TimePoint At(const char* t) { return *ParseRfc3339(t); }

TEST(SchedulerTest, TwoWeeksOfHourlyRunsOnTheHourInMilliseconds) {
  testing::FakeClock clock(At("2026-11-25T10:20:00Z"));
  std::stop_source stop;
  std::vector<TimePoint> runs;
  Scheduler s(clock, Zone::Utc(), *Schedule::Parse("@hourly"), [&](std::stop_token) {
    runs.push_back(clock.Now());
    if (runs.size() == 14 * 24) stop.request_stop();
    return true;
  });
  s.Run(stop.get_token(), At("2026-11-25T10:00:00Z"));  // recent: no catch-up
  ASSERT_EQ(runs.size(), 336u);
  EXPECT_EQ(FormatRfc3339(runs.front()), "2026-11-25T11:00:00Z");
  for (size_t i = 1; i < runs.size(); ++i) EXPECT_EQ(runs[i] - runs[i - 1], 1h) << i;
  EXPECT_EQ(FormatRfc3339(runs.back()), "2026-12-09T10:00:00Z");
}

TEST(SchedulerTest, RunsDueDuringALongRunAreSkippedNotStacked) {
  testing::FakeClock clock(At("2026-01-01T00:00:00Z"));
  std::stop_source stop;
  std::vector<std::string> runs, skips;
  Scheduler s(clock, Zone::Utc(), *Schedule::Parse("*/10 * * * *"),
              [&](std::stop_token) {
                runs.push_back(FormatRfc3339(clock.Now()));
                clock.Advance(25min);  // each run takes 25 minutes
                if (runs.size() == 3) stop.request_stop();
                return true;
              },
              {nullptr, [&](TimePoint first, int n) {
                 skips.push_back(FormatRfc3339(first) + " x" + std::to_string(n));
               }});
  s.Run(stop.get_token(), At("2025-12-31T23:55:00Z"));
  EXPECT_EQ(runs, (std::vector<std::string>{"2026-01-01T00:10:00Z", "2026-01-01T00:40:00Z",
                                            "2026-01-01T01:10:00Z"}));
  EXPECT_EQ(skips,
            (std::vector<std::string>{"2026-01-01T00:20:00Z x2", "2026-01-01T00:50:00Z x2"}));
}

TEST(SchedulerTest, ExactlyOneCatchUpWhenTheLastBackupIsOlderThanOneInterval) {
  for (auto [last, catch_up] :
       {std::pair<std::optional<TimePoint>, bool>{At("2026-11-25T07:59:00Z"), true},
        {At("2026-11-25T09:30:00Z"), false},
        {std::nullopt, true}}) {
    testing::FakeClock clock(At("2026-11-25T10:20:00Z"));
    std::stop_source stop;
    std::vector<std::string> runs, catch_ups;
    SchedulerHooks hooks;
    hooks.on_catch_up = [&](std::optional<TimePoint> l, Duration interval) {
      catch_ups.push_back((l ? FormatRfc3339(*l) : "none") + " " + FormatDuration(interval));
    };
    Scheduler s(
        clock, Zone::Utc(), *Schedule::Parse("@hourly"),
        [&](std::stop_token) {
          runs.push_back(FormatRfc3339(clock.Now()));
          if (runs.size() == 3) stop.request_stop();
          return true;
        },
        hooks);
    s.Run(stop.get_token(), last);
    if (catch_up) {
      EXPECT_EQ(runs, (std::vector<std::string>{"2026-11-25T10:20:00Z", "2026-11-25T11:00:00Z",
                                                "2026-11-25T12:00:00Z"}));
      EXPECT_EQ(catch_ups, std::vector<std::string>{(last ? "2026-11-25T07:59:00Z" : "none") +
                                                    std::string(" 1h")});
    } else {
      EXPECT_EQ(catch_ups, std::vector<std::string>{});
      EXPECT_EQ(runs, (std::vector<std::string>{"2026-11-25T11:00:00Z", "2026-11-25T12:00:00Z",
                                                "2026-11-25T13:00:00Z"}));
    }
  }
}

TEST(SchedulerTest, EveryCountsFromTheLastRunAndStopEndsTheWait) {
  testing::FakeClock clock(At("2026-01-01T00:00:00Z"));
  std::stop_source stop;
  std::vector<std::string> runs, nexts;
  Scheduler s(clock, Zone::Utc(), *Schedule::Parse("@every 2s"),
              [&](std::stop_token token) {
                runs.push_back(FormatRfc3339(clock.Now()));
                if (runs.size() == 2) stop.request_stop();
                EXPECT_EQ(token.stop_requested(), runs.size() == 2) << "the job sees the stop";
                return true;
              },
              {[&](TimePoint next) { nexts.push_back(FormatRfc3339(next)); }, nullptr});
  s.Run(stop.get_token(), At("2025-12-31T23:59:59Z"));
  EXPECT_EQ(runs, (std::vector<std::string>{"2026-01-01T00:00:01Z", "2026-01-01T00:00:03Z"}));
  EXPECT_EQ(nexts, (std::vector<std::string>{"2026-01-01T00:00:01Z", "2026-01-01T00:00:03Z"}));

  std::stop_source already;
  already.request_stop();
  int ran = 0;
  Scheduler idle(clock, Zone::Utc(), *Schedule::Parse("@hourly"),
                 [&](std::stop_token) { return ++ran > 0; });
  idle.Run(already.get_token(), std::nullopt);
  EXPECT_EQ(ran, 0);
}

TEST(SchedulerTest, DailyRunsFollowLocalMidnightThroughBerlinsDstChanges) {
  testing::FakeClock clock(At("2026-10-23T12:00:00Z"));
  std::stop_source stop;
  std::vector<std::string> runs;
  Scheduler s(clock, *Zone::Load("Europe/Berlin"), *Schedule::Parse("@daily"),
              [&](std::stop_token) {
                runs.push_back(FormatRfc3339(clock.Now()));
                if (runs.size() == 4) stop.request_stop();
                return true;
              });
  s.Run(stop.get_token(), At("2026-10-23T11:00:00Z"));
  EXPECT_EQ(runs, (std::vector<std::string>{"2026-10-23T22:00:00Z", "2026-10-24T22:00:00Z",
                                            "2026-10-25T23:00:00Z", "2026-10-26T23:00:00Z"}));
}

// A failed catch-up (a new controller has no DB yet) is tried again after
// 30 s, 1 min, 2 min ... while that comes before the next scheduled run; a
// failed scheduled run is not retried.
TEST(SchedulerTest, AFailedCatchUpIsRetriedWithBackoffUntilTheNextScheduledRun) {
  for (int failures : {2, 100}) {
    testing::FakeClock clock(At("2026-11-25T10:20:00Z"));
    std::stop_source stop;
    std::vector<std::string> runs, retries;
    SchedulerHooks hooks;
    hooks.on_retry = [&](TimePoint at) { retries.push_back(FormatRfc3339(at)); };
    Scheduler s(
        clock, Zone::Utc(), *Schedule::Parse("@hourly"),
        [&](std::stop_token) {
          runs.push_back(FormatRfc3339(clock.Now()));
          clock.Advance(1s);  // a failing run takes a second
          if (clock.Now() > At("2026-11-25T12:30:00Z")) stop.request_stop();
          return static_cast<int>(runs.size()) > failures;
        },
        hooks);
    s.Run(stop.get_token(), std::nullopt);
    if (failures == 2) {
      EXPECT_EQ(runs, (std::vector<std::string>{"2026-11-25T10:20:00Z", "2026-11-25T10:20:31Z",
                                                "2026-11-25T10:21:32Z", "2026-11-25T11:00:00Z",
                                                "2026-11-25T12:00:00Z", "2026-11-25T13:00:00Z"}));
      EXPECT_EQ(retries,
                (std::vector<std::string>{"2026-11-25T10:20:31Z", "2026-11-25T10:21:32Z"}));
    } else {
      // 30 s, 1, 2, 4, 8, 16 min; the next would be after 11:00.
      EXPECT_EQ(runs, (std::vector<std::string>{"2026-11-25T10:20:00Z", "2026-11-25T10:20:31Z",
                                                "2026-11-25T10:21:32Z", "2026-11-25T10:23:33Z",
                                                "2026-11-25T10:27:34Z", "2026-11-25T10:35:35Z",
                                                "2026-11-25T10:51:36Z", "2026-11-25T11:00:00Z",
                                                "2026-11-25T12:00:00Z", "2026-11-25T13:00:00Z"}));
      EXPECT_EQ(retries.size(), 6u);
    }
  }
}

}  // namespace
}  // namespace zb::schedule
