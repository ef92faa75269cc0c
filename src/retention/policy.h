// Policy: how many snapshots to keep, with restic's `forget` options
// (spec §6). Counts are per period; keep-within is a duration counted back
// from the newest snapshot. Value type; thread-compatible.
#pragma once

#include <string>

#include "base/duration.h"
#include "base/result.h"

namespace zb::retention {

struct Policy {
  int last = 0;
  int hourly = 0;
  int daily = 0;
  int weekly = 0;
  int monthly = 0;
  int yearly = 0;
  Duration within{0};

  // The spec's defaults: 3 last, 24 hourly, 7 daily, 4 weekly, 12 monthly.
  static Policy Default() { return Policy{3, 24, 7, 4, 12, 0, Duration{0}}; }
  // "last 3, hourly 24, daily 7, weekly 4, monthly 12" (only what is set).
  std::string ToString() const;
};

// kInvalidArgument for a negative count, or for a policy that keeps nothing
// (every count 0 and no keep-within): pruning with it would delete every
// snapshot but the newest, which is never what an operator meant.
Status Validate(const Policy& p);

}  // namespace zb::retention
