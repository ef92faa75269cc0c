// TargetStatus: how each target stands, from its listing: how many
// snapshots it keeps and its newest good one. What `status`, the daemon's
// catch-up decision and its metrics read. Reads only manifests (no data),
// so a health check every few seconds stays cheap.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "repo/manifest.h"
#include "store/backend.h"

namespace zb::app {

struct TargetStatus {
  std::string target;  // Describe()
  Status status;       // the listing's error, if it failed
  size_t snapshots = 0;
  size_t damaged = 0;                    // snapshots whose manifest cannot be read
  size_t newer_format = 0;               // written by a newer ziti-backup
  std::optional<repo::Manifest> newest;  // the last one made (creation order)
  // Lag: the snapshots other targets hold that are newer than this one's
  // newest (all of theirs if it has none), and how much newer the newest
  // of them is. 0 when it is up to date (or the only target).
  size_t behind = 0;
  Duration lag{0};
};

std::vector<TargetStatus> ReadTargetStatus(const std::vector<store::Backend*>& targets);

// How far ahead of this host's clock a snapshot's time may be before it
// counts as dated in the future (the clock stepped back since, or another
// host's clock is wrong). Covers small skew between hosts sharing a target.
inline constexpr Duration kFutureSlack = std::chrono::minutes(5);
bool DatedInFuture(const repo::Manifest& m, TimePoint now);

// When the last backup that reached every target was made: the oldest of
// the targets' newest snapshots; nullopt if a target has none, failed, or
// has a newest snapshot dated in the future (its age says nothing, so the
// daemon catches up rather than trusting it).
std::optional<TimePoint> NewestInEveryTarget(const std::vector<TargetStatus>& targets,
                                             TimePoint now);

}  // namespace zb::app
