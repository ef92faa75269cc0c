// Decide: which snapshots a retention policy keeps, and why (restic's
// `forget`, spec §6). Pure: no clock, no I/O; the zone decides what an
// hour, day, ISO week, month and year are. Thread-safe.
//
// Snapshots are ordered by creation: by sequence (the order a target
// recorded them in), then time, then id; so the newest is the one made
// last even when the clock stepped back since an older one.
// keep-last N keeps the N newest. keep-hourly/daily/weekly/monthly/yearly N
// keep the newest snapshot of each of the N most recent periods that have
// one. keep-within D keeps every snapshot strictly newer than newest - D
// (counted from the newest snapshot, not from now, so a controller that was
// down for a week does not lose its backups to the first prune after it).
// A snapshot is kept if any rule keeps it, and the newest is always kept.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "retention/policy.h"

namespace zb::retention {

struct SnapshotRef {
  std::string id;
  TimePoint created;
  uint64_t sequence = 0;  // creation order in the target; 0: unknown (older versions)
};

struct Decision {
  std::string id;
  TimePoint created;
  bool keep = false;
  // Every rule that kept it, e.g. "last", "daily 2026-06-25",
  // "weekly 2026-W26", "within 36h", "newest"; empty when removed.
  std::vector<std::string> reasons;
};

// One decision per snapshot, newest first. REQUIRES: Validate(policy).ok().
std::vector<Decision> Decide(std::span<const SnapshotRef> snapshots, const Policy& policy,
                             const Zone& zone);

}  // namespace zb::retention
