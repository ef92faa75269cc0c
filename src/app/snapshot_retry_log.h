// The `snapshot.retry` log event: one line per hot-copy retry, so operators
// see a writer's pressure before a snapshot gives up, e.g.
//   ... snapshot.retry id=ctrl-ha-20260625T000436Z attempt=2
//       why="missed a commit: txid went from 812 to 815 between two looks"
//       commits=9 commits_per_second=612.4 backoff=40ms
// And `snapshot.agent_fallback`: method auto asked the controller's agent,
// which could not make a file, so the snapshot is taken hot instead:
//   ... snapshot.agent_fallback id=... method=hot
//       why="agent command ziti exit status 1: may snapshot database at most once per minute"
// `backup` and `snapshot` both log them through here.
#pragma once

#include "app/log.h"
#include "snapshot/hot_source.h"

namespace zb::app {

// Logs `r` after the fields in `context` (e.g. the backup's id).
void LogSnapshotRetry(Log& log, const snapshot::RetryInfo& r, Log::Fields context = {});
void LogAgentFallback(Log& log, const Status& why, Log::Fields context = {});

}  // namespace zb::app
