// TargetStatus: how each target stands, from its listing: how many
// snapshots it keeps and its newest good one. What `status`, the daemon's
// catch-up decision and its metrics read. Reads only manifests (no data),
// so a health check every few seconds stays cheap.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "repo/manifest.h"
#include "store/backend.h"

namespace zb::app {

struct TargetStatus {
  std::string target;  // Describe()
  Status status;       // the listing's error, if it failed
  size_t snapshots = 0;
  size_t damaged = 0;
  std::optional<repo::Manifest> newest;
};

std::vector<TargetStatus> ReadTargetStatus(const std::vector<store::Backend*>& targets);

// When the last backup that reached every target was made: the oldest of
// the targets' newest snapshots; nullopt if a target has none or failed.
std::optional<TimePoint> NewestInEveryTarget(const std::vector<TargetStatus>& targets);

}  // namespace zb::app
