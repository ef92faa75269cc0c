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
    const TimePoint scheduled = schedule_.Next(now, zone_);
    Duration backoff = kFirstRetry;
    due = now;  // @every counts from the (last) catch-up run
    while (!job_(stop)) {
      const TimePoint retry = clock_.Now() + backoff;
      if (stop.stop_requested() || retry >= scheduled) break;
      if (hooks_.on_retry) hooks_.on_retry(retry);
      if (!clock_.SleepUntil(retry, stop)) return;
      due = retry;
      backoff *= 2;
    }
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
    job_(stop);  // a failed scheduled run waits for the next one
    due = next;
  }
}

}  // namespace zb::schedule
