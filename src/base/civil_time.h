// Civil time: the one place that turns instants into wall-clock fields in a
// time zone and back (g++ 12 has no <chrono> time zones). It wraps Abseil's
// time zones, which read the system's zoneinfo; nothing else in ziti-backup
// touches Abseil. Retention periods and cron schedules are computed from
// the fields this file produces. Zone is a cheap value; thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace zb {

using TimePoint = std::chrono::system_clock::time_point;

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool operator==(const CivilTime&) const = default;
};

// ISO 8601 week date: weeks start on Monday, week 1 holds the year's first
// Thursday, so 2027-01-01 is in week 53 of ISO year 2026.
struct IsoWeek {
  int year = 0;
  int week = 0;  // 1..53
  bool operator==(const IsoWeek&) const = default;
};

class Zone {
 public:
  // "UTC", "Europe/Berlin", ... kInvalidArgument naming the name if unknown.
  static Result<Zone> Load(const std::string& name);
  static Zone Utc();

  const std::string& name() const;
  CivilTime ToCivil(TimePoint t) const;
  // The instant of a civil time. A time skipped by a spring-forward gap
  // maps to the instant the gap ends (02:30 on a 02:00->03:00 day: 03:00);
  // a repeated time maps to its first occurrence.
  TimePoint FromCivil(const CivilTime& c) const;

 private:
  struct Impl;
  explicit Zone(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Day of the week, 1 = Monday .. 7 = Sunday (ISO), of a civil date.
int IsoWeekday(int year, int month, int day);
IsoWeek IsoWeekOf(int year, int month, int day);

// RFC 3339 in UTC with seconds: "2026-06-25T00:04:36Z".
std::string FormatRfc3339(TimePoint t);
// Parses RFC 3339 ("Z" or an offset, optional fractional seconds).
Result<TimePoint> ParseRfc3339(std::string_view text);

}  // namespace zb
