#include "app/daemon.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <sstream>
#include <thread>

#include "testutil/fake_clock.h"

namespace zb::app {
namespace {

using namespace std::chrono_literals;

// A latch the test and a job thread meet at.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until Open() or `stop`; returns whether it was opened.
  bool Wait(std::stop_token stop) {
    std::unique_lock lock(mu_);
    return cv_.wait(lock, stop, [&] { return open_; });
  }
  void WaitOpen() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool open_ = false;
};

// A clock on which every wait lasts until it is stopped. A scheduler on
// the FakeClock starts its next run at once if its stop has not arrived
// yet; on this one it only waits, however late the daemon's thread gets to
// pass the stop on (a loaded machine), so "no run after the stop" holds
// by construction.
class WaitingClock final : public Clock {
 public:
  TimePoint Now() override { return *ParseRfc3339("2026-11-25T10:20:00Z"); }
  std::chrono::steady_clock::time_point Steady() override { return {}; }
  bool SleepUntil(TimePoint, std::stop_token stop) override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, stop, [] { return false; });
    return false;
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
};

struct Fixture {
  testing::FakeClock clock{*ParseRfc3339("2026-11-25T10:20:00Z")};
  std::ostringstream log_text;
  Log log{log_text, LogFormat::kText, clock};
  Metrics metrics;
};

DaemonJob Job(std::string name, const char* schedule,
              std::function<RunResult(std::stop_token)> run) {
  return DaemonJob{std::move(name), *schedule::Schedule::Parse(schedule), Zone::Utc(),
                   std::move(run)};
}

// SIGTERM while a backup runs: no new run starts, and the running one is
// given the grace period to finish on its own; it is not aborted.
TEST(DaemonTest, StopDuringARunLetsItFinishWithinTheGracePeriod) {
  Fixture f;
  WaitingClock clock;
  Gate started, release;
  std::atomic<int> runs{0};
  std::atomic<bool> saw_abort{false};
  Daemon d(clock, f.log, f.metrics, {30s, [] { return std::nullopt; }, nullptr, nullptr});
  std::thread stopper([&] {
    started.WaitOpen();
    d.RequestStop();
    // Usually the daemon is in its grace wait by now; if not, the run ends
    // before the wait begins, and the outcome must be the same.
    std::this_thread::sleep_for(50ms);
    release.Open();
  });
  const bool finished = d.Run({Job("schedule", "@hourly", [&](std::stop_token abort) {
    ++runs;
    started.Open();
    saw_abort = !release.Wait(abort);
    return RunResult::kOk;
  })});
  stopper.join();
  EXPECT_TRUE(finished);
  EXPECT_EQ(runs, 1);  // the catch-up run only: no run starts after the stop
  EXPECT_FALSE(saw_abort);
  EXPECT_EQ(f.metrics.Values().runs[RunResult::kOk], 1u);
  EXPECT_EQ(f.log_text.str().find("daemon.abort"), std::string::npos) << f.log_text.str();
}

// A run that outlasts the grace period is aborted through its token and the
// daemon returns once it has unwound.
TEST(DaemonTest, ARunOutlastingTheGracePeriodIsAborted) {
  Fixture f;
  Gate started, never;
  Daemon d(f.clock, f.log, f.metrics, {100ms, [] { return std::nullopt; }, nullptr, nullptr});
  std::thread stopper([&] {
    started.WaitOpen();
    d.RequestStop();
  });
  const bool finished = d.Run({Job("schedule", "@hourly", [&](std::stop_token abort) {
    started.Open();
    return never.Wait(abort) ? RunResult::kOk : RunResult::kAborted;
  })});
  stopper.join();
  EXPECT_FALSE(finished);
  EXPECT_EQ(f.metrics.Values().runs[RunResult::kAborted], 1u);
  const std::string log = f.log_text.str();
  EXPECT_NE(log.find("daemon.abort grace=100ms why=\"a run was still going at the end of the "
                     "grace period\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("job.done job=schedule result=aborted"), std::string::npos) << log;
}

// Two jobs, each on its own schedule; the next run time is logged before
// every wait; a recent last backup means no catch-up.
TEST(DaemonTest, JobsRunOnTheirOwnSchedulesAndLogTheNextRun) {
  Fixture f;
  std::mutex mu;
  std::vector<std::string> runs;
  Daemon* daemon = nullptr;
  auto record = [&](const std::string& name) {
    std::lock_guard lock(mu);
    runs.push_back(name + "@" + FormatRfc3339(f.clock.Now()));
    if (runs.size() == 6) daemon->RequestStop();
    return RunResult::kOk;
  };
  Daemon d(f.clock, f.log, f.metrics,
           {30s, [] { return ParseRfc3339("2026-11-25T10:00:00Z").value(); }, nullptr, nullptr});
  daemon = &d;
  ASSERT_TRUE(
      d.Run({Job("crontab:1", "0 12 * * *", [&](std::stop_token) { return record("daily"); })}));
  EXPECT_EQ(runs.front(), "daily@2026-11-25T12:00:00Z");
  // (Runs go on until the daemon has passed the stop on to the scheduler.)
  ASSERT_GE(runs.size(), 6u);
  EXPECT_EQ(runs[5], "daily@2026-11-30T12:00:00Z");
  const std::string log = f.log_text.str();
  EXPECT_EQ(log.rfind("2026-11-25T10:20:00Z schedule.next job=crontab:1 "
                      "next=2026-11-25T12:00:00Z\n",
                      0),
            0u)
      << log;
}

// SIGHUP: the new job set replaces the old one once the old one's running
// jobs are done; a reload that fails keeps the old set.
TEST(DaemonTest, ReloadReplacesTheJobsAndAFailedReloadKeepsThem) {
  Fixture f;
  std::mutex mu;
  std::vector<std::string> runs;
  Daemon* daemon = nullptr;
  std::atomic<int> reloads{0};
  auto job = [&](std::string name) {
    return Job(name, "@every 1m", [&, name](std::stop_token) {
      std::unique_lock lock(mu);
      runs.push_back(name);
      if (name == "old" && runs.size() == 2) {
        daemon->RequestReload();
        lock.unlock();
        while (reloads == 0) std::this_thread::sleep_for(1ms);  // the failing one
        lock.lock();
      }
      if (name == "old" && runs.size() == 4) daemon->RequestReload();
      if (name == "new") daemon->RequestStop();
      return RunResult::kOk;
    });
  };
  DaemonOptions o{30s, [&] { return std::optional<TimePoint>(f.clock.Now()); }, nullptr,
                  [&]() -> Result<std::vector<DaemonJob>> {
                    if (++reloads == 1) return Status::InvalidArgument("line 2: bad");
                    return std::vector<DaemonJob>{job("new")};
                  }};
  Daemon d(f.clock, f.log, f.metrics, o);
  daemon = &d;
  ASSERT_TRUE(d.Run({job("old")}));
  ASSERT_GE(runs.size(), 5u);
  EXPECT_EQ(runs.back(), "new");
  const auto first_new = std::find(runs.begin(), runs.end(), "new");
  EXPECT_EQ(std::count(first_new, runs.end(), "old"), 0) << "old and new overlapped";
  EXPECT_GE(std::count(runs.begin(), first_new, "old"), 4);
  const std::string log = f.log_text.str();
  EXPECT_NE(log.find("daemon.reload.fail error=\"invalid argument: line 2: bad\" kept=\"the "
                     "running schedule\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("daemon.reload jobs=1"), std::string::npos);
}

}  // namespace
}  // namespace zb::app
