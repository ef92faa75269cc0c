// PruneTarget: retention in one target (spec §6): list the snapshots, let
// retention::Decide keep or remove each with its reasons, remove the ones
// not kept, and remove data objects without a manifest and temp files of
// interrupted uploads once they are a day old. With dry_run nothing is
// removed; the decisions are the same. Used by `prune` and by `backup`
// (after a successful store only). Not thread-safe.
#pragma once

#include <vector>

#include "app/log.h"
#include "repo/repository.h"
#include "retention/decide.h"

namespace zb::app {

struct PruneReport {
  std::string target;
  std::vector<retention::Decision> decisions;  // newest first
  std::vector<store::ObjectInfo> orphans;      // removed (or would be)
  uint64_t temporaries = 0;                    // removed (0 in a dry run)
  uint64_t removed() const;
};

Result<PruneReport> PruneTarget(repo::Repository& repo, const retention::Policy& policy,
                                const Zone& zone, TimePoint now, bool dry_run, Log* log);

}  // namespace zb::app
