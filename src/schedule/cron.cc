#include "schedule/cron.h"

#include <cctype>
#include <vector>

namespace zb::schedule {
namespace {

struct Field {
  const char* name;
  int min, max;
  const char* const* names;  // 3-letter names from `min`, or null
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr Field kFields[] = {{"minute", 0, 59, nullptr},
                             {"hour", 0, 23, nullptr},
                             {"day-of-month", 1, 31, nullptr},
                             {"month", 1, 12, kMonthNames},
                             {"day-of-week", 0, 7, kDayNames}};

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses one field into `bits`; errors name the field and the 1-based
// character in it.
template <size_t N>
Status ParseField(const std::string& text, const Field& f, std::bitset<N>& bits) {
  auto bad = [&](const std::string& why, size_t at) {
    return Status::InvalidArgument(std::string(f.name) + " field \"" + text + "\": " + why +
                                   " at character " + std::to_string(at + 1));
  };
  size_t i = 0;
  auto number = [&](int* out) -> Status {
    const size_t start = i;
    if (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      long v = 0;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        v = v * 10 + (text[i++] - '0');
        if (v > 1000) return bad("number too large", start);
      }
      if (v < f.min || v > f.max) {
        return bad("value " + std::to_string(v) + " is outside " + std::to_string(f.min) + "-" +
                       std::to_string(f.max),
                   start);
      }
      *out = static_cast<int>(v);
      return Status::OK();
    }
    if (f.names != nullptr && i + 3 <= text.size()) {
      std::string word = text.substr(i, 3);
      for (auto& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const int count = f.max - f.min + (f.max == 7 ? 0 : 1);
      for (int k = 0; k < count; ++k) {
        if (word == f.names[k]) {
          *out = f.min + k;
          i += 3;
          return Status::OK();
        }
      }
      return bad("unknown name \"" + text.substr(i, 3) + "\"", start);
    }
    if (i >= text.size()) return bad("a value is missing", start);
    return bad(std::string("unexpected '") + text[i] + "'", start);
  };
  while (true) {
    int lo = f.min, hi = f.max, step = 1;
    const size_t item = i;
    if (i < text.size() && text[i] == '*') {
      ++i;
    } else {
      ZB_RETURN_IF_ERROR(number(&lo));
      hi = lo;
      if (i < text.size() && text[i] == '-') {
        ++i;
        ZB_RETURN_IF_ERROR(number(&hi));
        if (hi < lo) {
          return bad("range " + std::to_string(lo) + "-" + std::to_string(hi) + " is backwards",
                     item);
        }
      } else if (i < text.size() && text[i] == '/') {
        hi = f.max;  // "a/n": from a to the end
      }
    }
    if (i < text.size() && text[i] == '/') {
      const size_t at = ++i;
      if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) {
        return bad("a step is missing", at);
      }
      long s = 0;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        s = s * 10 + (text[i++] - '0');
        if (s > 1000) return bad("step too large", at);
      }
      if (s == 0) return bad("step 0", at);
      step = static_cast<int>(s);
    }
    for (int v = lo; v <= hi; v += step) bits.set(f.max == 7 ? v % 7 : v);
    if (i == text.size()) return Status::OK();
    if (text[i] != ',') return bad(std::string("unexpected '") + text[i] + "'", i);
    if (++i == text.size()) return bad("a value is missing", i);
  }
}

}  // namespace

Result<Schedule> Schedule::Parse(std::string_view expression) {
  Schedule s;
  s.expression_ = std::string(expression);
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("schedule \"" + s.expression_ + "\": " + why);
  };
  std::vector<std::string> words;
  for (size_t i = 0; i < expression.size();) {
    while (i < expression.size() && std::isspace(static_cast<unsigned char>(expression[i]))) ++i;
    size_t j = i;
    while (j < expression.size() && !std::isspace(static_cast<unsigned char>(expression[j]))) ++j;
    if (j > i) words.emplace_back(expression.substr(i, j - i));
    i = j;
  }
  if (words.empty())
    return bad("empty (use five cron fields, a macro like @hourly, or @every 15m)");
  if (words[0][0] == '@') {
    std::string macro = words[0];
    for (auto& c : macro) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (macro == "@every") {
      if (words.size() != 2) return bad("@every takes one duration, e.g. @every 15m");
      auto d = ParseDuration(words[1]);
      if (!d.ok()) return bad(d.status().message());
      if (*d < std::chrono::seconds(1)) return bad("@every needs at least 1s");
      s.every_ = *d;
      return s;
    }
    const std::pair<const char*, const char*> kMacros[] = {
        {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
        {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
        {"@hourly", "0 * * * *"}};
    if (words.size() != 1) return bad(words[0] + " takes no fields after it");
    for (const auto& [name, fields] : kMacros) {
      if (macro == name) {
        ZB_ASSIGN_OR_RETURN(Schedule m, Parse(fields));
        m.expression_ = s.expression_;
        return m;
      }
    }
    return bad("unknown macro " + words[0] +
               " (use @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>)");
  }
  if (words.size() != 5) {
    return bad("expected 5 fields (minute hour day-of-month month day-of-week), found " +
               std::to_string(words.size()));
  }
  Status st;
  if (st = ParseField(words[0], kFields[0], s.minutes_); !st.ok()) return bad(st.message());
  if (st = ParseField(words[1], kFields[1], s.hours_); !st.ok()) return bad(st.message());
  if (st = ParseField(words[2], kFields[2], s.days_); !st.ok()) return bad(st.message());
  if (st = ParseField(words[3], kFields[3], s.months_); !st.ok()) return bad(st.message());
  if (st = ParseField(words[4], kFields[4], s.weekdays_); !st.ok()) return bad(st.message());
  s.dom_star_ = words[2][0] == '*';
  s.dow_star_ = words[4][0] == '*';
  if (!s.NextCalendar(*ParseRfc3339("2000-01-01T00:00:00Z"), Zone::Utc())) {
    return bad("matches no date (e.g. day 31 of a 30-day month)");
  }
  return s;
}

bool Schedule::DayMatches(int year, int month, int day) const {
  const bool dom = days_[day];
  const bool dow = weekdays_[IsoWeekday(year, month, day) % 7];
  return dom_star_ || dow_star_ ? dom && dow : dom || dow;
}

std::optional<TimePoint> Schedule::NextCalendar(TimePoint after, const Zone& zone) const {
  CivilTime c = zone.ToCivil(after);
  c.second = 0;
  int y = c.year, mo = c.month, d = c.day, h = c.hour, mi = c.minute + 1;
  const int last_year = y + 28;  // every day-of-week/date combination recurs within 28 years
  auto carry = [&] {
    if (mi > 59) mi = 0, ++h;
    if (h > 23) h = 0, ++d;
    if (mo <= 12 && d > DaysIn(y, mo)) d = 1, ++mo;  // mo is 13 after skipping december
    if (mo > 12) mo = 1, ++y;
  };
  for (carry(); y <= last_year; carry()) {
    if (!months_[mo]) {
      ++mo, d = 1, h = 0, mi = 0;
      continue;
    }
    if (!DayMatches(y, mo, d)) {
      ++d, h = 0, mi = 0;
      continue;
    }
    if (!hours_[h]) {
      ++h, mi = 0;
      continue;
    }
    if (!minutes_[mi]) {
      ++mi;
      continue;
    }
    // A skipped time maps to the end of the gap; a repeated one to its first
    // occurrence, which may lie before `after` when we are in the second.
    const TimePoint t = zone.FromCivil(CivilTime{y, mo, d, h, mi, 0});
    if (t > after) return t;
    ++mi;
  }
  return std::nullopt;
}

TimePoint Schedule::Next(TimePoint after, const Zone& zone) const {
  if (every_) {
    const auto step = std::chrono::duration_cast<TimePoint::duration>(*every_);
    // A run after the end of representable time never comes (no wrap).
    if (after > TimePoint::max() - step) return TimePoint::max();
    return after + step;
  }
  // Parse() refused schedules that match nothing, so this always finds one.
  return NextCalendar(after, zone).value_or(TimePoint::max());
}

}  // namespace zb::schedule
