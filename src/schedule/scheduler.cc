#include "schedule/scheduler.h"

namespace zb::schedule {

Duration Scheduler::Interval(TimePoint t) const {
  if (schedule_.every()) return *schedule_.every();
  const TimePoint a = schedule_.Next(t, zone_);
  return schedule_.Next(a, zone_) - a;
}

void Scheduler::Run(std::stop_token stop, std::optional<TimePoint> last_success) {
  TimePoint now = clock_.Now();
  TimePoint due;
  if (const Duration interval = Interval(now); !last_success || now - *last_success > interval) {
    if (stop.stop_requested()) return;
    if (hooks_.on_catch_up) hooks_.on_catch_up(last_success, interval);
    job_(stop);  // catch up once, at once
    due = now;   // @every counts from this run
  } else {
    due = schedule_.every() ? *last_success : now;
  }
  while (!stop.stop_requested()) {
    TimePoint next = schedule_.Next(due, zone_);
    now = clock_.Now();
    // Runs that fell due while the last one was still going are skipped.
    int missed = 0;
    TimePoint first_missed;
    while (next <= now) {
      if (missed++ == 0) first_missed = next;
      next = schedule_.Next(next, zone_);
      if (missed > 100000) break;  // a very long run of a very fast schedule
    }
    if (missed > 0 && hooks_.on_skip) hooks_.on_skip(first_missed, missed);
    if (hooks_.on_next) hooks_.on_next(next);
    if (!clock_.SleepUntil(next, stop)) return;
    job_(stop);
    due = next;
  }
}

}  // namespace zb::schedule
