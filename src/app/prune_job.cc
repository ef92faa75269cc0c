#include "app/prune_job.h"

#include <map>
#include <set>

namespace zb::app {

uint64_t PruneReport::removed() const {
  uint64_t n = 0;
  for (const auto& d : decisions) n += !d.keep;
  return n - locked_snapshots.size();
}

std::optional<TimePoint> PruneReport::LockedUntil(const std::string& id) const {
  for (const LockedItem& l : locked_snapshots) {
    if (l.name == id) return l.until;
  }
  return std::nullopt;
}

namespace {

// When the store would refuse to delete `name` now: until when its lock holds.
Result<std::optional<TimePoint>> HeldUntil(store::ObjectLocks& locks, const std::string& name) {
  auto state = locks.State(name);
  if (!state.ok() && state.status().code() == Code::kNotFound) return std::optional<TimePoint>();
  ZB_RETURN_IF_ERROR(state.status());
  return state->locked() ? state->until : std::nullopt;
}

}  // namespace

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
  store::ObjectLocks* locks = repo.backend().locks();
  auto locked = [&](std::vector<LockedItem>& into, const char* field, const std::string& name,
                    TimePoint until) {
    into.push_back({name, until});
    if (log) {
      log->Event("prune.locked",
                 {{"target", report.target}, {field, name}, {"until", FormatRfc3339(until)}});
    }
  };
  std::map<std::string, const repo::Manifest*> manifests;
  for (const auto& s : listing.snapshots) manifests[s.manifest.id] = &s.manifest;
  std::set<std::string> dropped;
  for (const auto& d : report.decisions) {
    if (d.keep) continue;
    if (locks != nullptr) {
      ZB_ASSIGN_OR_RETURN(repo::SnapshotId id, repo::ParseSnapshotId(d.id));
      // A manifest written locked says until when, at least: the store is
      // asked only once that time has passed, not on every run until then.
      const auto& written = manifests.at(d.id)->lock;
      std::optional<TimePoint> held;
      if (written && written->until > now) {
        held = written->until;
      } else {
        ZB_ASSIGN_OR_RETURN(held, HeldUntil(*locks, repo::ManifestName(id)));
      }
      if (held) {
        locked(report.locked_snapshots, "id", d.id, *held);
        continue;
      }
    }
    dropped.insert(d.id);
  }
  // The manifests go first: a prune killed between the two steps leaves
  // only snapshots whose objects are all there.
  report.orphans = repo::Repository::Unneeded(listing, dropped, cutoff);
  if (dry_run) {
    // What a real run would find locked (it learns that from the store's
    // refusal instead, without asking first).
    std::vector<store::ObjectInfo> free;
    for (auto& o : report.orphans) {
      std::optional<TimePoint> held;
      if (locks != nullptr) {
        ZB_ASSIGN_OR_RETURN(held, HeldUntil(*locks, o.name));
      }
      if (held) {
        locked(report.locked_objects, "object", o.name, *held);
      } else {
        free.push_back(std::move(o));
      }
    }
    report.orphans = std::move(free);
    return report;
  }
  std::set<std::string> refused;
  for (const auto& d : report.decisions) {
    if (d.keep || !dropped.contains(d.id)) continue;
    ZB_ASSIGN_OR_RETURN(repo::SnapshotId id, repo::ParseSnapshotId(d.id));
    if (locks == nullptr) {
      ZB_RETURN_IF_ERROR(repo.Remove(id));
    } else {
      // As Repository::Remove, but a version the store still holds (another
      // version than ours, or its clock behind ours) stops this snapshot's
      // removal without failing the prune.
      std::vector<std::string> names{repo::ManifestName(id)};
      for (std::string& n : repo::DataNamesOf(id)) names.push_back(std::move(n));
      std::optional<TimePoint> held;
      for (size_t i = 0; i < names.size() && !held; ++i) {
        ZB_ASSIGN_OR_RETURN(held, locks->RemoveUnlessLocked(names[i]));
        if (held && i == 0) refused.insert(d.id);  // its manifest is still there
      }
      if (held) {
        locked(report.locked_snapshots, "id", d.id, *held);
        continue;
      }
    }
    if (log) log->Event("prune.remove", {{"target", report.target}, {"id", d.id}});
  }
  if (!refused.empty()) {
    // A manifest that stayed still names its chain: sweep without it.
    for (const std::string& id : refused) dropped.erase(id);
    report.orphans = repo::Repository::Unneeded(listing, dropped, cutoff);
  }
  std::vector<store::ObjectInfo> removed;
  for (auto& o : report.orphans) {
    if (locks != nullptr) {
      ZB_ASSIGN_OR_RETURN(auto held, locks->RemoveUnlessLocked(o.name));
      if (held) {
        locked(report.locked_objects, "object", o.name, *held);
        continue;
      }
    } else {
      ZB_RETURN_IF_ERROR(repo.backend().Delete(o.name));
    }
    if (log) log->Event("prune.orphan", {{"target", report.target}, {"object", o.name}});
    removed.push_back(std::move(o));
  }
  report.orphans = std::move(removed);
  ZB_ASSIGN_OR_RETURN(report.temporaries, repo.backend().RemoveStaleTemporaries(cutoff));
  return report;
}

}  // namespace zb::app
