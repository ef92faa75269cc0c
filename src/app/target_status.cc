#include "app/target_status.h"

#include "repo/repository.h"

namespace zb::app {

std::vector<TargetStatus> ReadTargetStatus(const std::vector<store::Backend*>& targets) {
  std::vector<TargetStatus> out;
  for (store::Backend* b : targets) {
    TargetStatus t;
    t.target = b->Describe();
    repo::Repository repo(*b);
    auto listing = repo.List();
    if (!listing.ok()) {
      t.status = listing.status();
    } else {
      t.snapshots = listing->snapshots.size();
      t.damaged = listing->DamagedCount();
      t.newer_format = listing->damaged.size() - t.damaged;
      if (!listing->snapshots.empty()) t.newest = listing->snapshots.back().manifest;
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool DatedInFuture(const repo::Manifest& m, TimePoint now) {
  return m.created > now + std::chrono::duration_cast<TimePoint::duration>(kFutureSlack);
}

std::optional<TimePoint> NewestInEveryTarget(const std::vector<TargetStatus>& targets,
                                             TimePoint now) {
  std::optional<TimePoint> oldest;
  for (const TargetStatus& t : targets) {
    if (!t.status.ok() || !t.newest || DatedInFuture(*t.newest, now)) return std::nullopt;
    if (!oldest || t.newest->created < *oldest) oldest = t.newest->created;
  }
  return oldest;
}

}  // namespace zb::app
