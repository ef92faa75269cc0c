// Daemon: runs jobs on their schedules until it is told to stop (spec §7).
// Each job has its own Scheduler on its own thread, so a job never overlaps
// itself (a run that falls due while the last is going is skipped, logged
// and counted) and one slow job does not hold back another. At start each
// job catches up once if the newest good snapshot is older than one of its
// intervals.
//   RequestStop (SIGTERM, SIGINT): no new runs; running ones get `grace` to
//     finish, then their abort token is requested and Run waits for them
//     to unwind (a backup on a StoppableEnv, a child with SIGTERM).
//   RequestReload (SIGHUP): the new job set from `reload`; running jobs of
//     the old set finish first. An error keeps the old set, logged.
// Every start, skip, finish and next run time is one log event and feeds
// the metrics.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "app/log.h"
#include "app/metrics.h"
#include "base/civil_time.h"
#include "base/duration.h"
#include "env/clock.h"
#include "schedule/cron.h"

namespace zb::app {

struct DaemonJob {
  std::string name;  // "schedule", "crontab:3"
  schedule::Schedule schedule;
  Zone zone = Zone::Utc();
  // One run; `abort` is requested when a stop outlasts the grace period.
  std::function<RunResult(std::stop_token abort)> run;
};

struct DaemonOptions {
  Duration grace = std::chrono::seconds(30);
  // When the newest good snapshot was made, for the catch-up (nullopt: none).
  std::function<std::optional<TimePoint>()> last_success;
  // After each run: refresh the target metrics, write the textfile.
  std::function<void()> after_run;
  std::function<Result<std::vector<DaemonJob>>()> reload;
};

class Daemon {
 public:
  Daemon(Clock& clock, Log& log, Metrics& metrics, DaemonOptions options)
      : clock_(clock), log_(log), metrics_(metrics), options_(std::move(options)) {}
  ~Daemon();

  // Thread-safe; for the signal watcher.
  void RequestStop();
  void RequestReload();

  // Runs `jobs` until RequestStop, then returns once every job has ended.
  // True if the jobs finished on their own within the grace period, false
  // if they had to be aborted.
  bool Run(std::vector<DaemonJob> jobs);

 private:
  struct Running;
  std::vector<std::unique_ptr<Running>> Start(std::vector<DaemonJob> jobs);
  // True when the run stored its snapshot (in at least one target).
  bool RunOnce(const DaemonJob& job);
  bool AllDone(const std::vector<std::unique_ptr<Running>>& running) const;

  Clock& clock_;
  Log& log_;
  Metrics& metrics_;
  const DaemonOptions options_;
  std::stop_source abort_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool reload_ = false;
};

}  // namespace zb::app
