// FakeClock: time as a test input. Now() is whatever the test set;
// SleepUntil() moves time forward to the deadline at once (so schedules and
// backoff run in milliseconds) unless a stop was requested. Thread-safe.
#pragma once

#include <mutex>

#include "env/clock.h"

namespace zb::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1782000000))) : now_(start) {}
  TimePoint Now() override {
    std::lock_guard lock(mu_);
    return now_;
  }
  std::chrono::steady_clock::time_point Steady() override {
    std::lock_guard lock(mu_);
    return std::chrono::steady_clock::time_point(now_.time_since_epoch());
  }
  bool SleepUntil(TimePoint deadline, std::stop_token stop) override {
    if (stop.stop_requested()) return false;
    std::lock_guard lock(mu_);
    if (deadline > now_) now_ = deadline;
    return true;
  }
  void Advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    now_ += std::chrono::duration_cast<TimePoint::duration>(d);
  }
  void Set(TimePoint t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }

 private:
  std::mutex mu_;
  TimePoint now_;
};

}  // namespace zb::testing
