#include "app/daemon.h"

#include <thread>

#include "schedule/scheduler.h"

namespace zb::app {

struct Daemon::Running {
  DaemonJob job;
  std::stop_source schedule_stop;
  bool done = false;  // guarded by Daemon::mu_
  std::thread thread;
};

Daemon::~Daemon() = default;

void Daemon::RequestStop() {
  std::lock_guard lock(mu_);
  stop_ = true;
  cv_.notify_all();
}

void Daemon::RequestReload() {
  std::lock_guard lock(mu_);
  reload_ = true;
  cv_.notify_all();
}

bool Daemon::AllDone(const std::vector<std::unique_ptr<Running>>& running) const {
  for (const auto& r : running) {
    if (!r->done) return false;
  }
  return true;
}

bool Daemon::RunOnce(const DaemonJob& job) {
  log_.Event("job.start", {{"job", job.name}});
  const auto start = clock_.Steady();
  const RunResult result = job.run(abort_.get_token());
  const Duration took = clock_.Steady() - start;
  metrics_.RunFinished(result, took, clock_.Now());
  log_.Event(
      "job.done",
      {{"job", job.name}, {"result", RunResultName(result)}, {"duration", FormatSeconds(took)}});
  if (options_.after_run) options_.after_run();
  return result == RunResult::kOk || result == RunResult::kPartial;
}

std::vector<std::unique_ptr<Daemon::Running>> Daemon::Start(std::vector<DaemonJob> jobs) {
  std::vector<std::unique_ptr<Running>> running;
  const std::optional<TimePoint> last =
      options_.last_success ? options_.last_success() : std::nullopt;
  for (DaemonJob& job : jobs) {
    auto r = std::make_unique<Running>();
    r->job = std::move(job);
    Running* raw = r.get();
    r->thread = std::thread([this, raw, last] {
      const DaemonJob& job = raw->job;
      schedule::SchedulerHooks hooks;
      hooks.on_next = [&](TimePoint next) {
        metrics_.NextRun(job.name, next);
        log_.Event("schedule.next", {{"job", job.name}, {"next", FormatRfc3339(next)}});
      };
      hooks.on_catch_up = [&](std::optional<TimePoint> newest, Duration interval) {
        log_.Event("schedule.catchup",
                   {{"job", job.name},
                    {"newest", newest ? FormatRfc3339(*newest) : "none"},
                    {"why", newest ? "older than one interval (" + FormatDuration(interval) + ")"
                                   : "no snapshot yet"}});
      };
      hooks.on_retry = [&](TimePoint at) {
        log_.Event(
            "schedule.retry",
            {{"job", job.name}, {"at", FormatRfc3339(at)}, {"why", "the catch-up run failed"}});
      };
      hooks.on_skip = [&](TimePoint first, int count) {
        metrics_.Skipped(count);
        log_.Event("job.skip", {{"job", job.name},
                                {"missed", std::to_string(count)},
                                {"first", FormatRfc3339(first)},
                                {"why", "the previous run was still going"}});
      };
      schedule::Scheduler s(
          clock_, job.zone, job.schedule, [&](std::stop_token) { return RunOnce(job); }, hooks);
      s.Run(raw->schedule_stop.get_token(), last);
      std::lock_guard lock(mu_);
      raw->done = true;
      cv_.notify_all();
    });
    running.push_back(std::move(r));
  }
  return running;
}

bool Daemon::Run(std::vector<DaemonJob> jobs) {
  std::vector<std::unique_ptr<Running>> running = Start(std::move(jobs));
  auto join = [](std::vector<std::unique_ptr<Running>>& rs) {
    for (auto& r : rs) {
      r->schedule_stop.request_stop();
      if (r->thread.joinable()) r->thread.join();
    }
    rs.clear();
  };
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || reload_; });
    if (stop_) break;
    reload_ = false;
    lock.unlock();
    auto fresh = options_.reload
                     ? options_.reload()
                     : Result<std::vector<DaemonJob>>(Status::InvalidArgument("nothing to reload"));
    if (!fresh.ok()) {
      log_.Event("daemon.reload.fail",
                 {{"error", fresh.status().ToString()}, {"kept", "the running schedule"}});
      lock.lock();
      continue;
    }
    for (auto& r : running) r->schedule_stop.request_stop();
    lock.lock();
    cv_.wait(lock, [&] { return stop_ || AllDone(running); });
    if (stop_) {
      // The old jobs are still winding down: they get the grace period
      // below; the new set never starts.
      break;
    }
    lock.unlock();
    join(running);
    log_.Event("daemon.reload", {{"jobs", std::to_string(fresh->size())}});
    running = Start(std::move(fresh).value());
    lock.lock();
  }
  for (auto& r : running) r->schedule_stop.request_stop();
  const bool finished = cv_.wait_for(lock, options_.grace, [&] { return AllDone(running); });
  lock.unlock();
  if (!finished) {
    log_.Event("daemon.abort", {{"grace", FormatDuration(options_.grace)},
                                {"why", "a run was still going at the end of the grace period"}});
    abort_.request_stop();
  }
  join(running);
  return finished;
}

}  // namespace zb::app
