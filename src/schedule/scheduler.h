// Scheduler: runs one job on a Schedule, on the Clock it is given (spec §7).
//   - No overlap: a run that falls due while the previous one is still
//     going is skipped, and reported (with how many) through on_skip.
//   - Catch-up: at start, if the last good run is older than one schedule
//     interval (or there is none), the job runs once at once (systemd's
//     Persistent=true). If that run fails it is tried again after 30 s,
//     then after twice as long each time, as long as the retry comes before
//     the next scheduled run: a brand-new controller creates its DB only
//     after the daemon starts, and should not wait a whole interval for its
//     first backup.
//   - Stop: when `stop` is requested the scheduler stops waiting; a running
//     job is handed the same token and Run() returns once it has returned
//     (the daemon bounds that with its grace period).
// Single job per Scheduler; one thread. Times come only from the Clock, so
// weeks of schedule run in milliseconds on a fake one.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>

#include "base/civil_time.h"
#include "env/clock.h"
#include "schedule/cron.h"

namespace zb::schedule {

struct SchedulerHooks {
  std::function<void(TimePoint next)> on_next;                     // before each wait
  std::function<void(TimePoint first_missed, int count)> on_skip;  // runs lost to overlap
  std::function<void(TimePoint at)> on_retry;  // a failed catch-up is tried again at `at`
  // Before the catch-up run: the last good run (nullopt: none) and the
  // interval it is older than.
  std::function<void(std::optional<TimePoint> last, Duration interval)> on_catch_up;
};

class Scheduler {
 public:
  // `job` returns whether the run succeeded (only a failed catch-up is retried).
  Scheduler(Clock& clock, Zone zone, Schedule schedule, std::function<bool(std::stop_token)> job,
            SchedulerHooks hooks = {})
      : clock_(clock),
        zone_(std::move(zone)),
        schedule_(std::move(schedule)),
        job_(std::move(job)),
        hooks_(std::move(hooks)) {}

  // The schedule's period around `t`: @every's duration, or the gap between
  // the next two runs after t.
  Duration Interval(TimePoint t) const;

  // Runs until `stop` is requested. `last_success`: when the newest good
  // backup was made, for the catch-up decision (nullopt: there is none).
  void Run(std::stop_token stop, std::optional<TimePoint> last_success);

  static constexpr Duration kFirstRetry = std::chrono::seconds(30);

 private:
  Clock& clock_;
  Zone zone_;
  Schedule schedule_;
  std::function<bool(std::stop_token)> job_;
  SchedulerHooks hooks_;
};

}  // namespace zb::schedule
