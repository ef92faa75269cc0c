#include "app/metrics.h"

#include <algorithm>
#include <cstdio>

namespace zb::app {
namespace {

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string Seconds(TimePoint t) {
  return Number(std::chrono::duration<double>(t.time_since_epoch()).count());
}

// Label values escape backslash, double quote and newline.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

const char* RunResultName(RunResult r) {
  switch (r) {
    case RunResult::kOk:
      return "ok";
    case RunResult::kPartial:
      return "partial";
    case RunResult::kFailed:
      return "failed";
    case RunResult::kAborted:
      return "aborted";
  }
  return "failed";
}

std::string RenderPrometheus(const MetricsValues& v) {
  std::string out;
  Header(out, "ziti_backup_last_success_timestamp_seconds", "gauge",
         "When the last successful backup run ended (Unix time).");
  if (v.last_success) {
    out += "ziti_backup_last_success_timestamp_seconds " + Seconds(*v.last_success) + "\n";
  }
  Header(out, "ziti_backup_last_duration_seconds", "gauge", "How long the last run took.");
  if (v.last_duration) {
    out += "ziti_backup_last_duration_seconds " +
           Number(std::chrono::duration<double>(*v.last_duration).count()) + "\n";
  }
  Header(out, "ziti_backup_last_size_bytes", "gauge",
         "Stored size of the newest snapshot in the first target.");
  if (v.last_size) out += "ziti_backup_last_size_bytes " + std::to_string(*v.last_size) + "\n";
  Header(out, "ziti_backup_runs_total", "counter", "Runs since the daemon started, by result.");
  for (RunResult r :
       {RunResult::kOk, RunResult::kPartial, RunResult::kFailed, RunResult::kAborted}) {
    auto it = v.runs.find(r);
    out += std::string("ziti_backup_runs_total{result=\"") + RunResultName(r) + "\"} " +
           std::to_string(it == v.runs.end() ? 0 : it->second) + "\n";
  }
  Header(out, "ziti_backup_runs_skipped_total", "counter",
         "Scheduled runs skipped because the previous run was still going.");
  out += "ziti_backup_runs_skipped_total " + std::to_string(v.skipped) + "\n";
  auto per_target = [&](const char* name, const char* help, auto value) {
    Header(out, name, "gauge", help);
    for (const MetricsValues::Target& t : v.targets) {
      out += std::string(name) + "{target=\"" + Label(t.target) + "\"} " +
             std::to_string(value(t)) + "\n";
    }
  };
  per_target("ziti_backup_snapshots", "Snapshots kept in each target.",
             [](const MetricsValues::Target& t) { return t.snapshots; });
  per_target("ziti_backup_damaged_snapshots",
             "Snapshots whose manifest cannot be read (kept, never pruned; look at them).",
             [](const MetricsValues::Target& t) { return t.damaged; });
  per_target("ziti_backup_newer_format_snapshots",
             "Snapshots written by a newer ziti-backup (never touched).",
             [](const MetricsValues::Target& t) { return t.newer_format; });
  per_target("ziti_backup_snapshots_behind",
             "Snapshots other targets hold that are newer than this target's newest (a "
             "target that missed runs; the next run that reaches it catches up).",
             [](const MetricsValues::Target& t) { return t.behind; });
  per_target("ziti_backup_lag_seconds",
             "How much newer the newest snapshot elsewhere is than this target's newest.",
             [](const MetricsValues::Target& t) { return static_cast<uint64_t>(t.lag_seconds); });
  per_target("ziti_backup_newest_meta_fallback",
             "1 when the newest snapshot holds the transaction before a damaged newest meta "
             "page of the DB.",
             [](const MetricsValues::Target& t) { return t.meta_fallback ? 1 : 0; });
  Header(out, "ziti_backup_next_run_timestamp_seconds", "gauge",
         "When the next run is scheduled (Unix time).");
  if (v.next_run) out += "ziti_backup_next_run_timestamp_seconds " + Seconds(*v.next_run) + "\n";
  return out;
}

void Metrics::RunFinished(RunResult result, Duration took, TimePoint end) {
  std::lock_guard lock(mu_);
  ++v_.runs[result];
  v_.last_duration = took;
  if (result == RunResult::kOk) v_.last_success = end;
}

void Metrics::Skipped(int count) {
  std::lock_guard lock(mu_);
  v_.skipped += static_cast<uint64_t>(count);
}

void Metrics::NextRun(const std::string& job, TimePoint at) {
  std::lock_guard lock(mu_);
  next_[job] = at;
  v_.next_run = std::min_element(next_.begin(), next_.end(), [](const auto& a, const auto& b) {
                  return a.second < b.second;
                })->second;
}

void Metrics::Targets(const std::vector<TargetStatus>& targets) {
  std::lock_guard lock(mu_);
  v_.targets.clear();
  for (const TargetStatus& t : targets) {
    if (!t.status.ok()) continue;
    v_.targets.push_back({t.target, t.snapshots, t.damaged, t.newer_format,
                          t.newest && t.newest->meta_fallback.has_value(), t.behind,
                          std::chrono::duration<double>(t.lag).count()});
  }
  v_.last_size.reset();
  for (const TargetStatus& t : targets) {
    if (t.status.ok() && t.newest) {
      v_.last_size = t.newest->stored_size;
      break;
    }
  }
}

MetricsValues Metrics::Values() const {
  std::lock_guard lock(mu_);
  return v_;
}

}  // namespace zb::app
