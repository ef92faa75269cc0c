#include "base/civil_time.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

namespace zb {

struct Zone::Impl {
  std::string name;
  absl::TimeZone tz;
};

Result<Zone> Zone::Load(const std::string& name) {
  absl::TimeZone tz;
  // Zoneinfo names only. Abseil also takes "libc:<anything>" (UTC unless
  // "libc:localtime"), "file:<path>" and absolute or "../" paths, so a typo
  // could silently mean UTC, and a FIFO's path would block (fuzz/cron).
  const bool path_like = name.rfind("libc:", 0) == 0 || name.rfind("file:", 0) == 0 ||
                         (!name.empty() && name[0] == '/') || name.find("..") != std::string::npos;
  if (name.empty() || path_like || !absl::LoadTimeZone(name, &tz)) {
    return Status::InvalidArgument("unknown time zone \"" + name +
                                   "\" (use a zoneinfo name like UTC or Europe/Berlin)");
  }
  return Zone(std::make_shared<const Impl>(Impl{name, tz}));
}

Zone Zone::Utc() { return Zone(std::make_shared<const Impl>(Impl{"UTC", absl::UTCTimeZone()})); }

const std::string& Zone::name() const { return impl_->name; }

CivilTime Zone::ToCivil(TimePoint t) const {
  const absl::CivilSecond c = absl::ToCivilSecond(absl::FromChrono(t), impl_->tz);
  return CivilTime{
      static_cast<int>(c.year()), c.month(), c.day(), c.hour(), c.minute(), c.second()};
}

TimePoint Zone::FromCivil(const CivilTime& c) const {
  const absl::CivilSecond cs(c.year, c.month, c.day, c.hour, c.minute, c.second);
  const absl::TimeZone::TimeInfo ti = impl_->tz.At(cs);
  // SKIPPED: `trans` is when the gap ends; REPEATED: `pre` is the first one.
  const absl::Time t = ti.kind == absl::TimeZone::TimeInfo::SKIPPED ? ti.trans : ti.pre;
  return absl::ToChronoTime(t);
}

int IsoWeekday(int year, int month, int day) {
  switch (absl::GetWeekday(absl::CivilDay(year, month, day))) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 1;
}

IsoWeek IsoWeekOf(int year, int month, int day) {
  // The week's Thursday decides the ISO year; its day of the year, the week.
  const absl::CivilDay d(year, month, day);
  const absl::CivilDay thursday = d + (4 - IsoWeekday(year, month, day));
  const int yday = absl::GetYearDay(thursday);
  return IsoWeek{static_cast<int>(thursday.year()), (yday - 1) / 7 + 1};
}

std::string FormatRfc3339(TimePoint t) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%SZ", absl::FromChrono(t), absl::UTCTimeZone());
}

Result<TimePoint> ParseRfc3339(std::string_view text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return Status::InvalidArgument("invalid RFC 3339 time \"" + std::string(text) + "\": " + err);
  }
  // A TimePoint (int64 nanoseconds) spans 1677..2262, and ToChronoTime
  // clamps what lies outside: a manifest created in 5285 read as created
  // at 2262-04-11T23:47:16Z (found by fuzz/manifest).
  if (t < absl::FromChrono(TimePoint::min()) || t > absl::FromChrono(TimePoint::max())) {
    return Status::InvalidArgument("invalid RFC 3339 time \"" + std::string(text) +
                                   "\": outside 1677-09-21 .. 2262-04-11");
  }
  return absl::ToChronoTime(t);
}

}  // namespace zb
