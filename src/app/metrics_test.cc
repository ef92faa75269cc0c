#include "app/metrics.h"

#include <gtest/gtest.h>

namespace zb::app {
namespace {

TEST(MetricsTest, FreshDaemonHasCountersButNoTimes) {
  EXPECT_EQ(RenderPrometheus({}),
            "# HELP ziti_backup_last_success_timestamp_seconds When the last successful backup "
            "run ended (Unix time).\n"
            "# TYPE ziti_backup_last_success_timestamp_seconds gauge\n"
            "# HELP ziti_backup_last_duration_seconds How long the last run took.\n"
            "# TYPE ziti_backup_last_duration_seconds gauge\n"
            "# HELP ziti_backup_last_size_bytes Stored size of the newest snapshot in the first "
            "target.\n"
            "# TYPE ziti_backup_last_size_bytes gauge\n"
            "# HELP ziti_backup_runs_total Runs since the daemon started, by result.\n"
            "# TYPE ziti_backup_runs_total counter\n"
            "ziti_backup_runs_total{result=\"ok\"} 0\n"
            "ziti_backup_runs_total{result=\"partial\"} 0\n"
            "ziti_backup_runs_total{result=\"failed\"} 0\n"
            "ziti_backup_runs_total{result=\"aborted\"} 0\n"
            "# HELP ziti_backup_runs_skipped_total Scheduled runs skipped because the previous "
            "run was still going.\n"
            "# TYPE ziti_backup_runs_skipped_total counter\n"
            "ziti_backup_runs_skipped_total 0\n"
            "# HELP ziti_backup_snapshots Snapshots kept in each target.\n"
            "# TYPE ziti_backup_snapshots gauge\n"
            "# HELP ziti_backup_damaged_snapshots Snapshots whose manifest cannot be read (kept, "
            "never pruned; look at them).\n"
            "# TYPE ziti_backup_damaged_snapshots gauge\n"
            "# HELP ziti_backup_newer_format_snapshots Snapshots written by a newer ziti-backup "
            "(never touched).\n"
            "# TYPE ziti_backup_newer_format_snapshots gauge\n"
            "# HELP ziti_backup_snapshots_behind Snapshots other targets hold that are newer "
            "than this target's newest (a target that missed runs; the next run that reaches it "
            "catches up).\n"
            "# TYPE ziti_backup_snapshots_behind gauge\n"
            "# HELP ziti_backup_lag_seconds How much newer the newest snapshot elsewhere is than "
            "this target's newest.\n"
            "# TYPE ziti_backup_lag_seconds gauge\n"
            "# HELP ziti_backup_newest_meta_fallback 1 when the newest snapshot holds the "
            "transaction before a damaged newest meta page of the DB.\n"
            "# TYPE ziti_backup_newest_meta_fallback gauge\n"
            "# HELP ziti_backup_next_run_timestamp_seconds When the next run is scheduled (Unix "
            "time).\n"
            "# TYPE ziti_backup_next_run_timestamp_seconds gauge\n");
}

std::string Samples(const std::string& text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl - pos);
    if (line[0] != '#') out += line + "\n";
    pos = nl + 1;
  }
  return out;
}

TEST(MetricsTest, RunsTargetsAndTheEarliestNextRun) {
  Metrics m;
  const TimePoint t = *ParseRfc3339("2026-11-25T10:00:00Z");
  m.RunFinished(RunResult::kOk, std::chrono::milliseconds(1500), t);
  m.RunFinished(RunResult::kFailed, std::chrono::milliseconds(250), t + std::chrono::hours(1));
  m.RunFinished(RunResult::kOk, std::chrono::milliseconds(1250), t + std::chrono::hours(2));
  m.Skipped(2);
  m.NextRun("crontab:3", t + std::chrono::hours(5));
  m.NextRun("crontab:4", t + std::chrono::hours(3));
  repo::Manifest newest;
  newest.stored_size = 291000;
  TargetStatus broken{"s3://b/p", Status::IOError("unreachable"), 0, 0, 0, std::nullopt};
  TargetStatus local{"file:///backups \"a\"\\", Status::OK(), 7, 2, 1, newest};
  local.behind = 3;
  local.lag = std::chrono::hours(2) + std::chrono::milliseconds(500);
  m.Targets({broken, local});
  EXPECT_EQ(Samples(m.Render()),
            "ziti_backup_last_success_timestamp_seconds 1795608000\n"
            "ziti_backup_last_duration_seconds 1.25\n"
            "ziti_backup_last_size_bytes 291000\n"
            "ziti_backup_runs_total{result=\"ok\"} 2\n"
            "ziti_backup_runs_total{result=\"partial\"} 0\n"
            "ziti_backup_runs_total{result=\"failed\"} 1\n"
            "ziti_backup_runs_total{result=\"aborted\"} 0\n"
            "ziti_backup_runs_skipped_total 2\n"
            "ziti_backup_snapshots{target=\"file:///backups \\\"a\\\"\\\\\"} 7\n"
            "ziti_backup_damaged_snapshots{target=\"file:///backups \\\"a\\\"\\\\\"} 2\n"
            "ziti_backup_newer_format_snapshots{target=\"file:///backups \\\"a\\\"\\\\\"} 1\n"
            "ziti_backup_snapshots_behind{target=\"file:///backups \\\"a\\\"\\\\\"} 3\n"
            "ziti_backup_lag_seconds{target=\"file:///backups \\\"a\\\"\\\\\"} 7200\n"
            "ziti_backup_newest_meta_fallback{target=\"file:///backups \\\"a\\\"\\\\\"} 0\n"
            "ziti_backup_next_run_timestamp_seconds 1795611600\n");
}

}  // namespace
}  // namespace zb::app
