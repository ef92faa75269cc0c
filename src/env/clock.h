// Clock: time is an input. Backoff, schedules and retention read it from here
// so that tests can run on a fake clock. Implementations are thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <stop_token>

#include "base/civil_time.h"

namespace zb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  // Monotonic time for measuring durations.
  virtual std::chrono::steady_clock::time_point Steady() = 0;
  // Sleeps until `deadline`; returns false if `stop` was requested first.
  virtual bool SleepUntil(TimePoint deadline, std::stop_token stop) = 0;
  bool SleepFor(std::chrono::nanoseconds d, std::stop_token stop = {}) {
    return SleepUntil(Now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(d),
                      stop);
  }
};

std::unique_ptr<Clock> NewSystemClock();

}  // namespace zb
