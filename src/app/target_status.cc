#include "app/target_status.h"

#include <set>

#include "repo/repository.h"

namespace zb::app {

std::vector<TargetStatus> ReadTargetStatus(const std::vector<store::Backend*>& targets) {
  std::vector<TargetStatus> out;
  std::vector<std::optional<repo::Listing>> listings;
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
    listings.push_back(listing.ok() ? std::optional<repo::Listing>(std::move(*listing))
                                    : std::nullopt);
  }
  // Lag: what the others have that is newer than each one's newest.
  for (size_t i = 0; i < out.size(); ++i) {
    if (!listings[i]) continue;
    // Held here means the same id with the same stored bytes.
    std::set<std::pair<std::string, std::string>> here;
    std::set<std::string> newer;
    for (const auto& s : listings[i]->snapshots) {
      here.insert({s.manifest.id, s.manifest.stored_sha256});
    }
    std::optional<TimePoint> newest_elsewhere;
    for (size_t j = 0; j < out.size(); ++j) {
      if (j == i || !listings[j]) continue;
      for (const auto& s : listings[j]->snapshots) {
        if (here.count({s.manifest.id, s.manifest.stored_sha256}) != 0) continue;
        // Newer by creation order: a run's sequence is above every target's,
        // so sequences compare across targets (times have whole seconds).
        if (out[i].newest && s.manifest.sequence <= out[i].newest->sequence) continue;
        newer.insert(s.manifest.id);
        if (!newest_elsewhere || s.manifest.created > *newest_elsewhere) {
          newest_elsewhere = s.manifest.created;
        }
      }
    }
    out[i].behind = newer.size();
    if (newest_elsewhere && out[i].newest && *newest_elsewhere > out[i].newest->created) {
      out[i].lag = *newest_elsewhere - out[i].newest->created;
    }
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
