#include "retention/decide.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace zb::retention {
namespace {

// A period rule: how many periods to keep, and the name of the period a
// snapshot falls in (equal names = same period).
struct Rule {
  const char* name;
  int count;
  std::function<std::string(const CivilTime&)> period;
  std::string last_period;  // of the last snapshot this rule kept
};

std::string Fmt(const char* format, int a, int b = 0, int c = 0, int d = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, a, b, c, d);
  return buf;
}

}  // namespace

std::vector<Decision> Decide(std::span<const SnapshotRef> snapshots, const Policy& policy,
                             const Zone& zone) {
  std::vector<Decision> out;
  out.reserve(snapshots.size());
  std::vector<const SnapshotRef*> order;
  for (const SnapshotRef& s : snapshots) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](const SnapshotRef* a, const SnapshotRef* b) {
    if (a->sequence != b->sequence) return a->sequence > b->sequence;
    return a->created != b->created ? a->created > b->created : a->id > b->id;
  });
  for (const SnapshotRef* s : order) out.push_back(Decision{s->id, s->created, false, {}});
  if (out.empty()) return out;

  std::vector<Rule> rules = {
      {"hourly", policy.hourly,
       [](const CivilTime& c) {
         return Fmt("%04d-%02d-%02d %02d:00", c.year, c.month, c.day, c.hour);
       }},
      {"daily", policy.daily,
       [](const CivilTime& c) { return Fmt("%04d-%02d-%02d", c.year, c.month, c.day); }},
      {"weekly", policy.weekly,
       [](const CivilTime& c) {
         IsoWeek w = IsoWeekOf(c.year, c.month, c.day);
         return Fmt("%04d-W%02d", w.year, w.week);
       }},
      {"monthly", policy.monthly,
       [](const CivilTime& c) { return Fmt("%04d-%02d", c.year, c.month); }},
      {"yearly", policy.yearly, [](const CivilTime& c) { return Fmt("%04d", c.year); }},
  };
  const TimePoint newest = out.front().created;
  for (size_t i = 0; i < out.size(); ++i) {
    Decision& d = out[i];
    if (static_cast<int>(i) < policy.last) d.reasons.push_back("last");
    const CivilTime civil = zone.ToCivil(d.created);
    for (Rule& r : rules) {
      if (r.count <= 0) continue;
      std::string period = r.period(civil);
      if (period != r.last_period) {
        d.reasons.push_back(std::string(r.name) + " " + period);
        r.last_period = std::move(period);
        --r.count;
      }
    }
    if (policy.within > Duration::zero() &&
        d.created > newest - std::chrono::duration_cast<TimePoint::duration>(policy.within)) {
      d.reasons.push_back("within " + FormatDuration(policy.within));
    }
    if (i == 0 && d.reasons.empty()) d.reasons.push_back("newest");
    d.keep = !d.reasons.empty();
  }
  return out;
}

}  // namespace zb::retention
