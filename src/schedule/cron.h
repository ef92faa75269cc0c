// Schedule: when backups run (spec §7), Vixie cron / cronie semantics as a
// pure function, Next(after, zone), which never reads a clock.
//   five fields   minute hour day-of-month month day-of-week
//                 (names jan..dec, sun..sat; 0 and 7 are Sunday; a-b, */n,
//                 a-b/n, lists a,b,c)
//   macros        @yearly @annually @monthly @weekly @daily @midnight @hourly
//   interval      @every 15m   (from the previous run, no zone involved)
// Day of month and day of week: when both are restricted, either matching
// is enough (the OR rule); when one is '*', only the other counts.
// Daylight saving, as cronie: a time skipped by a spring-forward gap runs
// once, right after the gap; a time that happens twice at a fall-back runs
// once, the first time. Value type; thread-safe.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>

#include "base/civil_time.h"
#include "base/duration.h"
#include "base/result.h"

namespace zb::schedule {

class Schedule {
 public:
  // kInvalidArgument naming the expression, the field and the character:
  //   schedule "*/0 * * * *": minute field "*/0": step 0 at character 3
  // A five-field expression that matches no date at all ("0 0 30 2 *") is
  // refused too, rather than never running.
  static Result<Schedule> Parse(std::string_view expression);

  // The first run strictly after `after`, in `zone`.
  TimePoint Next(TimePoint after, const Zone& zone) const;

  const std::string& expression() const { return expression_; }
  // The @every interval; nullopt for calendar schedules.
  std::optional<Duration> every() const { return every_; }

 private:
  // nullopt if nothing matches within the search bound (~28 years).
  std::optional<TimePoint> NextCalendar(TimePoint after, const Zone& zone) const;
  bool DayMatches(int year, int month, int day) const;

  std::string expression_;
  std::optional<Duration> every_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<8> weekdays_;  // 0..6, Sunday = 0
  bool dom_star_ = false;
  bool dow_star_ = false;
};

}  // namespace zb::schedule
