// The `snapshot.retry` log event: one line per hot-copy retry, so operators
// see a writer's pressure before a snapshot gives up, e.g.
//   ... snapshot.retry id=ctrl-ha-20260625T000436Z attempt=2
//       why="missed a commit: txid went from 812 to 815 between two looks"
//       commits=9 commits_per_second=612.4 backoff=40ms
// `backup` and `snapshot` both log it through here.
#pragma once

#include "app/log.h"
#include "snapshot/hot_source.h"

namespace zb::app {

// Logs `r` after the fields in `context` (e.g. the backup's id).
void LogSnapshotRetry(Log& log, const snapshot::RetryInfo& r, Log::Fields context = {});

}  // namespace zb::app
