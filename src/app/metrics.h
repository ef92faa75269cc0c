// Metrics: what the daemon knows about its runs and its targets (spec §9),
// rendered in the Prometheus text format (version 0.0.4) for --metrics-addr
// and --metrics-file (node_exporter's textfile collector):
//   ziti_backup_last_success_timestamp_seconds  end of the last good run
//   ziti_backup_last_duration_seconds           length of the last run
//   ziti_backup_last_size_bytes                 stored size of the newest snapshot
//   ziti_backup_runs_total{result=...}          ok, partial, failed, aborted
//   ziti_backup_runs_skipped_total              runs lost to overlap
//   ziti_backup_snapshots{target=...}           snapshots kept per target
//   ziti_backup_damaged_snapshots{target=...}   snapshots whose manifest cannot be read
//   ziti_backup_newer_format_snapshots{target=...}  written by a newer ziti-backup
//   ziti_backup_newest_meta_fallback{target=...}  1 when the newest snapshot holds the
//                                               transaction before a damaged newest meta
//   ziti_backup_next_run_timestamp_seconds      the next scheduled run
// Render is a pure function of the values; Metrics holds them. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/target_status.h"
#include "base/civil_time.h"
#include "base/duration.h"

namespace zb::app {

enum class RunResult { kOk, kPartial, kFailed, kAborted };
const char* RunResultName(RunResult r);  // "ok", "partial", "failed", "aborted"

struct MetricsValues {
  std::optional<TimePoint> last_success;
  std::optional<Duration> last_duration;
  std::optional<uint64_t> last_size;
  std::map<RunResult, uint64_t> runs;
  uint64_t skipped = 0;
  struct Target {
    std::string target;
    uint64_t snapshots = 0, damaged = 0, newer_format = 0;
    bool meta_fallback = false;
    uint64_t behind = 0;
    double lag_seconds = 0;
  };
  std::vector<Target> targets;  // those that could be listed
  std::optional<TimePoint> next_run;
};

std::string RenderPrometheus(const MetricsValues& v);

class Metrics {
 public:
  void RunFinished(RunResult result, Duration took, TimePoint end);
  void Skipped(int count);
  // Per job; the earliest is exposed.
  void NextRun(const std::string& job, TimePoint at);
  void Targets(const std::vector<TargetStatus>& targets);
  MetricsValues Values() const;
  std::string Render() const { return RenderPrometheus(Values()); }

 private:
  mutable std::mutex mu_;
  MetricsValues v_;
  std::map<std::string, TimePoint> next_;
};

}  // namespace zb::app
