// PruneTarget: retention in one target (spec §6): list the snapshots, let
// retention::Decide keep or remove each with its reasons, remove the ones
// not kept (manifest first), then the objects no kept snapshot needs: data
// objects without a manifest, incremental chains' objects that no kept
// manifest names (repo::Repository::Unneeded), and temp files. Leftovers are removed at once when
// the caller holds the target's writer lock (`exclusive`: no other run can be writing, so they
// belong to a dead one, e.g. a backup killed by kill -9), and only once a day old otherwise (a
// target without a lock may have an upload in flight). With dry_run nothing is removed; the
// decisions are the same. What is removed is named by ids alone (repo::Repository::Remove): damaged
// snapshots and foreign objects are reported and never touched. Used by `prune` and by `backup`
// (after a successful store only).
//
// On a target with Object Lock (store/object_lock.h), what the store would
// refuse to delete is left alone and reported with the date its lock ends,
// judged by the store's clock: a snapshot the policy drops while its
// manifest is locked stays (and so do the chain objects it names), as does
// an unneeded object still locked (a dry run asks; a real run learns it
// from the store's refusal, which also covers versions someone else
// wrote). A later prune removes them once the lock has run out. A lock is
// never an error.
#pragma once

#include <optional>
#include <vector>

#include "app/log.h"
#include "repo/repository.h"
#include "retention/decide.h"

namespace zb::app {

// A snapshot or object the policy would remove but its lock holds.
struct LockedItem {
  std::string name;  // a snapshot id or an object name
  TimePoint until;
};

struct PruneReport {
  std::string target;
  std::vector<retention::Decision> decisions;  // newest first
  std::vector<LockedItem> locked_snapshots;    // dropped by the policy, kept
  std::vector<LockedItem> locked_objects;      // unneeded, kept
  std::vector<store::ObjectInfo> orphans;      // removed (or would be)
  std::vector<repo::DamagedSnapshot> damaged;  // kept whatever the policy
  uint64_t temporaries = 0;                    // removed (0 in a dry run)
  uint64_t removed() const;                    // snapshots
  // When snapshot `id` is locked: until when.
  std::optional<TimePoint> LockedUntil(const std::string& id) const;
};

Result<PruneReport> PruneTarget(repo::Repository& repo, const retention::Policy& policy,
                                const Zone& zone, TimePoint now, bool exclusive, bool dry_run,
                                Log* log);

}  // namespace zb::app
