// The cron parser: --schedule / ZITI_CTRL_BACKUP_SCHEDULE and --crontab
// files, then the next run of what was accepted.
#include "schedule/cron.h"

#include "fuzz/entries.h"
#include "fuzz/require.h"
#include "schedule/crontab.h"

namespace zb::fuzz {
namespace {

// Instants around which Next must behave: the epoch, the DST changes of
// 2026 in Europe/Berlin (spring forward, fall back) and a leap day.
const char* const kInstants[] = {"1970-01-01T00:00:00Z", "2026-03-29T00:59:59Z",
                                 "2026-10-25T00:30:00Z", "2028-02-29T23:59:00Z"};

const std::vector<Zone>& Zones() {
  static const std::vector<Zone> zones = [] {
    std::vector<Zone> z{Zone::Utc()};
    for (const char* name : {"Europe/Berlin", "America/St_Johns"}) {
      auto loaded = Zone::Load(name);
      Require(loaded.ok(), "time zone " + std::string(name) + " (tzdata)");
      z.push_back(*loaded);
    }
    return z;
  }();
  return zones;
}

void CheckNext(const schedule::Schedule& s) {
  for (const char* instant : kInstants) {
    const TimePoint after = *ParseRfc3339(instant);
    for (const Zone& zone : Zones()) {
      const TimePoint next = s.Next(after, zone);
      Require(next > after, "schedule \"" + s.expression() + "\": next run not after " + instant +
                                " in " + zone.name());
    }
  }
}

}  // namespace

void Cron(ByteSpan data) {
  const std::string text = AsString(data);
  auto s = schedule::Schedule::Parse(text);
  if (s.ok()) {
    CheckNext(*s);
  } else {
    Require(s.status().code() == Code::kInvalidArgument,
            "a bad schedule must be kInvalidArgument: " + s.status().ToString());
  }
  auto tab = schedule::ParseCrontab(text, Zones()[1]);
  if (!tab.ok()) {
    Require(tab.status().code() == Code::kInvalidArgument,
            "a bad crontab must be kInvalidArgument: " + tab.status().ToString());
    return;
  }
  Require(!tab->empty(), "a crontab with no entries was accepted");
  for (const auto& e : *tab) {
    Require(!e.command.empty(), "crontab line " + std::to_string(e.line) + ": no command");
    CheckNext(e.schedule);
  }
}

}  // namespace zb::fuzz
