#include "app/snapshot_retry_log.h"

#include <cstdio>

#include "base/duration.h"

namespace zb::app {

void LogSnapshotRetry(Log& log, const snapshot::RetryInfo& r, Log::Fields context) {
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f", r.commits_per_second);
  context.insert(context.end(), {{"attempt", std::to_string(r.attempt)},
                                 {"why", r.why.message()},
                                 {"commits", std::to_string(r.commits)},
                                 {"commits_per_second", rate},
                                 {"backoff", FormatDuration(r.backoff)}});
  log.Event("snapshot.retry", context);
}

void LogAgentFallback(Log& log, const Status& why, Log::Fields context) {
  context.insert(context.end(), {{"method", "hot"}, {"why", why.message()}});
  log.Event("snapshot.agent_fallback", context);
}

}  // namespace zb::app
