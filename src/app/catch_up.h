// CatchUp: after a run has stored its snapshot, every target that took it
// receives the snapshots it missed (a region that was down, a target added
// later) from the others, as stored, but only those its own retention would
// keep: a target that keeps a day is not refilled with a year. So an outage
// heals by itself on the next run that reaches the target. Copies are
// app::CopySnapshot's (checked, manifest last); a failure is logged and
// left for the next run, never fatal to the backup.
#pragma once

#include <string>
#include <vector>

#include "app/log.h"
#include "base/civil_time.h"
#include "repo/repository.h"
#include "retention/policy.h"

namespace zb::app {

struct CatchUpTarget {
  repo::Repository* repo;
  const retention::Policy* policy;
};

// Snapshots copied into each target, in the order given.
std::vector<int> CatchUp(const std::vector<CatchUpTarget>& targets, const Zone& zone, Log& log);

}  // namespace zb::app
