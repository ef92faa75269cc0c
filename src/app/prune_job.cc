#include "app/prune_job.h"

#include <set>

namespace zb::app {

uint64_t PruneReport::removed() const {
  uint64_t n = 0;
  for (const auto& d : decisions) n += !d.keep;
  return n;
}

Result<PruneReport> PruneTarget(repo::Repository& repo, const retention::Policy& policy,
                                const Zone& zone, TimePoint now, bool exclusive, bool dry_run,
                                Log* log) {
  PruneReport report;
  report.target = repo.backend().Describe();
  ZB_ASSIGN_OR_RETURN(repo::Listing listing, repo.List());
  std::vector<retention::SnapshotRef> refs;
  for (const auto& s : listing.snapshots) {
    refs.push_back({s.manifest.id, s.manifest.created, s.manifest.sequence});
  }
  report.decisions = retention::Decide(refs, policy, zone);
  report.damaged = listing.damaged;
  // Under the lock every leftover is a dead run's; else only day-old ones.
  const TimePoint cutoff = exclusive ? TimePoint::max() : now - std::chrono::hours(24);
  std::set<std::string> dropped;
  for (const auto& d : report.decisions) {
    if (!d.keep) dropped.insert(d.id);
  }
  // The manifests go first: a prune killed between the two steps leaves
  // only snapshots whose objects are all there.
  report.orphans = repo::Repository::Unneeded(listing, dropped, cutoff);
  if (dry_run) return report;
  for (const auto& d : report.decisions) {
    if (d.keep) continue;
    ZB_ASSIGN_OR_RETURN(repo::SnapshotId id, repo::ParseSnapshotId(d.id));
    ZB_RETURN_IF_ERROR(repo.Remove(id));
    if (log) log->Event("prune.remove", {{"target", report.target}, {"id", d.id}});
  }
  for (const auto& o : report.orphans) {
    ZB_RETURN_IF_ERROR(repo.backend().Delete(o.name));
    if (log) log->Event("prune.orphan", {{"target", report.target}, {"object", o.name}});
  }
  ZB_ASSIGN_OR_RETURN(report.temporaries, repo.backend().RemoveStaleTemporaries(cutoff));
  return report;
}

}  // namespace zb::app
