// `ziti-backup status`: how old the newest good snapshot in each target is,
// for a container HEALTHCHECK or a monitoring probe. Exit 0 when every
// target has a snapshot younger than --max-age, else 1 saying which. Reads
// manifests only (`verify` re-reads the data).
#include <nlohmann/json.hpp>
#include <ostream>

#include "app/target_status.h"
#include "cli/command.h"
#include "cli/retention_flags.h"
#include "cli/targets.h"
#include "env/env.h"
#include "schedule/crontab.h"
#include "schedule/scheduler.h"

namespace zb::cli {
namespace {

struct StatusArgs {
  std::string targets, max_age, schedule = "@hourly", crontab, tz = "UTC";
  bool json = false;
};

// Twice the shortest interval of the schedule the daemon runs: one missed
// run is tolerated, two are not.
Result<Duration> DefaultMaxAge(CommandContext& ctx, const StatusArgs& a, const Zone& zone) {
  std::vector<schedule::Schedule> schedules;
  if (!a.crontab.empty()) {
    auto entries = schedule::ReadCrontab(ctx.env, a.crontab, zone);
    if (!entries.ok()) {
      return Status::InvalidArgument("--crontab / ZITI_CTRL_BACKUP_CRONTAB " +
                                     entries.status().message());
    }
    for (const auto& e : *entries) schedules.push_back(e.schedule);
  } else {
    auto s = schedule::Schedule::Parse(a.schedule);
    if (!s.ok()) {
      return BadValue("--schedule", "ZITI_CTRL_BACKUP_SCHEDULE", a.schedule, s.status().message());
    }
    schedules.push_back(*s);
  }
  Duration shortest = Duration::max();
  for (const auto& s : schedules) {
    schedule::Scheduler probe(ctx.clock, zone, s, nullptr);
    shortest = std::min(shortest, probe.Interval(ctx.clock.Now()));
  }
  return 2 * shortest;
}

Status RunStatus(CommandContext& ctx, const StatusArgs& a) {
  auto zone = Zone::Load(a.tz);
  if (!zone.ok()) return BadValue("--tz", "ZITI_CTRL_BACKUP_TZ", a.tz, zone.status().message());
  Duration max_age;
  if (!a.max_age.empty()) {
    auto d = ParseDuration(a.max_age);
    if (!d.ok()) {
      return BadValue("--max-age", "ZITI_CTRL_BACKUP_MAX_AGE", a.max_age, d.status().message());
    }
    max_age = *d;
  } else {
    ZB_ASSIGN_OR_RETURN(max_age, DefaultMaxAge(ctx, a, *zone));
  }
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(ctx, a.targets, store::MissingDir::kFail));
  const TimePoint now = ctx.clock.Now();
  std::string problems;
  nlohmann::json j{{"max_age_seconds", std::chrono::duration<double>(max_age).count()},
                   {"targets", nlohmann::json::array()}};
  for (const app::TargetStatus& s : app::ReadTargetStatus(t.all)) {
    nlohmann::json tj{{"target", s.target},
                      {"snapshots", s.snapshots},
                      {"damaged", s.damaged},
                      {"newer_format", s.newer_format}};
    std::string line = s.target + ": ";
    std::vector<std::string> target_problems;
    if (!s.status.ok()) {
      target_problems.push_back(s.status.ToString());
      line += "cannot list: " + s.status.ToString();
      tj["error"] = s.status.ToString();
    } else if (!s.newest) {
      target_problems.push_back("no snapshot");
      line += "no snapshot";
    } else {
      const Duration age = now - s.newest->created;
      const bool future = app::DatedInFuture(*s.newest, now);
      line += std::to_string(s.snapshots) + " snapshots, newest " + s.newest->id + " (" +
              (future ? FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(-age)) +
                            " in the future"
                      : FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(age)) +
                            " old") +
              ", txid " + std::to_string(s.newest->txid) + ")";
      tj["newest"] = {{"id", s.newest->id},
                      {"created", FormatRfc3339(s.newest->created)},
                      {"age_seconds", std::chrono::duration<double>(age).count()},
                      {"txid", s.newest->txid}};
      if (future) {
        // Its age says nothing: the clock stepped back since it was made
        // (or another host's clock is wrong), and no backup was made since.
        target_problems.push_back("newest snapshot " + s.newest->id + " is dated " +
                                  FormatRfc3339(s.newest->created) +
                                  ", in the future of this host's clock (" + FormatRfc3339(now) +
                                  "): the clock may have stepped back");
      } else if (age > max_age) {
        target_problems.push_back("newest snapshot " + s.newest->id + " is older than " +
                                  FormatDuration(max_age));
      }
      if (s.newest->meta_fallback) {
        line += ", holds txid " + std::to_string(s.newest->meta_fallback->used_txid) +
                " because the DB's newest meta (txid " +
                std::to_string(s.newest->meta_fallback->damaged_txid) + ") is damaged";
      }
    }
    if (s.behind > 0) {
      line +=
          ", " + std::to_string(s.behind) + " snapshot" + (s.behind == 1 ? "" : "s") +
          " behind the other targets" +
          (s.lag > Duration(0)
               ? " (" + FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(s.lag)) +
                     ")"
               : "");
    }
    tj["behind"] = s.behind;
    tj["lag_seconds"] = std::chrono::duration<double>(s.lag).count();
    if (s.damaged > 0) {
      line += ", " + std::to_string(s.damaged) + " damaged";
      target_problems.push_back(std::to_string(s.damaged) +
                                " damaged snapshot(s) (see ziti-backup list)");
    }
    if (s.newer_format > 0) {
      line += ", " + std::to_string(s.newer_format) + " written by a newer ziti-backup";
    }
    std::string problem;
    for (const auto& p : target_problems) problem += (problem.empty() ? "" : "; ") + p;
    tj["healthy"] = problem.empty();
    j["targets"].push_back(tj);
    if (!a.json) ctx.out << line << (problem.empty() ? "" : " [unhealthy]") << "\n";
    if (!problem.empty()) problems += (problems.empty() ? "" : "; ") + s.target + ": " + problem;
  }
  j["healthy"] = problems.empty();
  if (a.json) {
    ctx.out << j.dump(2) << "\n";
  } else {
    ctx.out << (problems.empty() ? "healthy" : "unhealthy") << " (max age "
            << FormatDuration(max_age) << ")\n";
  }
  if (!problems.empty()) {
    // Not an error of the command: the answer, for a health check.
    ctx.err << "ziti-backup: unhealthy: " << problems << "\n";
    ctx.exit_override = 1;
  }
  return Status::OK();
}

}  // namespace

void RegisterStatus(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<StatusArgs>();
  auto* cmd = app.add_subcommand(
      "status",
      "Age of the newest snapshot in each target (the last one made), for container health\n"
      "checks. Exit 0 when every target has one younger than --max-age, 1 otherwise: also\n"
      "when a target holds a damaged snapshot, or its newest snapshot is dated in the\n"
      "future of this host's clock (the clock stepped back since).");
  AddEnvOption(cmd, "--target", a->targets, "ZITI_CTRL_BACKUP_TARGETS",
               "Space-separated target URLs; default file://$ZITI_HOME/backups");
  AddEnvOption(
      cmd, "--max-age", a->max_age, "ZITI_CTRL_BACKUP_MAX_AGE",
      "Oldest acceptable newest snapshot (36h, 90m); default: twice the schedule's interval");
  AddEnvOption(cmd, "--schedule", a->schedule, "ZITI_CTRL_BACKUP_SCHEDULE",
               "The daemon's schedule, for the default --max-age");
  AddEnvOption(cmd, "--crontab", a->crontab, "ZITI_CTRL_BACKUP_CRONTAB",
               "The daemon's crontab, for the default --max-age (its shortest interval)");
  AddEnvOption(cmd, "--tz", a->tz, "ZITI_CTRL_BACKUP_TZ", "Time zone of the schedule");
  cmd->add_flag("--json", a->json, "Machine-readable output");
  cmd->callback([&ctx, a] { ctx.result = RunStatus(ctx, *a); });
}

}  // namespace zb::cli
