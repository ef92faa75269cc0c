// `ziti-backup daemon`: the schedule in the foreground (spec §7, §8).
//   --schedule EXPR  runs `backup` in-process, with the backup flags and
//                    variables this command shares with `backup`;
//   --crontab FILE   runs each line's command with /bin/sh -c, its output
//                    tagged with the line ("[crontab:3] ...").
// Signals: SIGTERM/SIGINT stop (running jobs get --grace, then are stopped
// cleanly), SIGHUP re-reads the crontab. It also stops when its parent
// exits: in the container that parent is the controller.
// --validate checks the configuration and exits: what the container
// entrypoint runs first, so a bad value stops the container instead of
// leaving a controller without backups.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <ostream>

#include "app/agent_pace.h"
#include "app/daemon.h"
#include "app/locate_db.h"
#include "app/target_status.h"
#include "cli/backup_flags.h"
#include "cli/targets.h"
#include "env/atomic_file.h"
#include "env/signals.h"
#include "env/stoppable_env.h"
#include "env/text_server.h"
#include "schedule/crontab.h"

namespace zb::cli {
namespace {

// How long a running job may take after SIGTERM: a backup of any
// controller DB finishes well within this.
constexpr Duration kMaxGrace = std::chrono::hours(24);

struct DaemonArgs {
  BackupArgs backup;
  std::string schedule = "@hourly", crontab, grace = "30s", metrics_addr, metrics_file;
  bool validate = false;
  bool stay_after_parent = false;
};

app::RunResult ResultOf(const app::BackupOutcome& r) {
  bool partial = false;
  const Status s = OutcomeStatus(r, &partial);
  if (s.ok()) return app::RunResult::kOk;
  if (partial) return app::RunResult::kPartial;
  return s.code() == Code::kAborted ? app::RunResult::kAborted : app::RunResult::kFailed;
}

// The in-process backup of --schedule. The DB and targets are found at
// each run: the controller may write its config after we start.
app::DaemonJob ScheduleJob(CommandContext& ctx, const DaemonArgs& a,
                           const app::BackupOptions& options, schedule::Schedule schedule,
                           Zone zone, app::Log& log) {
  app::DaemonJob job{"schedule", std::move(schedule), std::move(zone), nullptr};
  // When the last run that used the controller's agent ended (steady
  // clock): the controller makes one snapshot-db per minute (agent_pace.h).
  auto agent_end = std::make_shared<std::optional<std::chrono::steady_clock::time_point>>();
  job.run = [&ctx, &a, options, &log, agent_end](std::stop_token abort) {
    StoppableEnv env(ctx.env, abort);
    CommandContext run_ctx{env, ctx.clock, ctx.out, ctx.err, Status::OK()};
    app::BackupOptions o = options;
    std::optional<Duration> since_agent;
    if (*agent_end) since_agent = ctx.clock.Steady() - **agent_end;
    const app::AgentPace pace =
        app::PaceAgent(o.source.method, !o.source.agent.argv_template.empty(), since_agent);
    const std::pair<std::string, std::string> why{"why",
                                                  "the controller makes one snapshot-db a minute"};
    if (!pace.use_agent) {
      log.Event("snapshot.agent_paced", {{"agent", "skipped this run"}, why});
      o.source.agent.argv_template.clear();
    } else if (pace.wait > Duration(0)) {
      log.Event("snapshot.agent_paced", {{"wait", FormatDuration(pace.wait)}, why});
      if (!ctx.clock.SleepFor(pace.wait, abort)) return app::RunResult::kAborted;
    }
    // (A skipped agent cleared the command above.)
    const bool agent_run = app::UsesAgent(o.source.method, !o.source.agent.argv_template.empty());
    auto run = [&]() -> Result<app::BackupOutcome> {
      ZB_ASSIGN_OR_RETURN(o.db, LocateBackupDb(run_ctx, a.backup));
      ZB_ASSIGN_OR_RETURN(Targets targets,
                          OpenTargets(run_ctx, a.backup.targets, TargetCreation(a.backup)));
      o.target_policies = targets.policies;
      return app::RunBackup(env, ctx.clock, targets.all, o, log);
    };
    auto r = run();
    if (agent_run) *agent_end = ctx.clock.Steady();
    if (!r.ok()) {
      log.Event("backup.fail", {{"error", r.status().ToString()}});
      return r.status().code() == Code::kAborted ? app::RunResult::kAborted
                                                 : app::RunResult::kFailed;
    }
    return ResultOf(*r);
  };
  return job;
}

app::DaemonJob CrontabJob(CommandContext& ctx, schedule::CrontabEntry entry, app::Log& log) {
  const std::string name = "crontab:" + std::to_string(entry.line);
  app::DaemonJob job{name, entry.schedule, entry.zone, nullptr};
  job.run = [&ctx, entry = std::move(entry), name, &log](std::stop_token abort) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", entry.command};
    spec.timeout = std::chrono::milliseconds(0);
    spec.max_output = 4096;
    spec.extra_env = entry.env;
    spec.on_line = [&](std::string_view line) { log.Output(name, line); };
    spec.cancel = abort;
    spec.term_grace = std::chrono::seconds(10);  // a backup unwinds well within this
    auto r = ctx.env.RunProcess(spec);
    if (!r.ok()) {
      log.Event("job.fail", {{"job", name}, {"error", r.status().ToString()}});
      return app::RunResult::kFailed;
    }
    if (r->cancelled) return app::RunResult::kAborted;
    if (r->exit_code == 0 && r->term_signal == 0) return app::RunResult::kOk;
    log.Event(
        "job.fail",
        {{"job", name}, {"command", entry.command}, {"error", DescribeOutcome(*r, spec.timeout)}});
    return r->exit_code == 5 ? app::RunResult::kPartial : app::RunResult::kFailed;
  };
  return job;
}

Result<std::vector<app::DaemonJob>> ReadCrontabJobs(CommandContext& ctx, const std::string& path,
                                                    const Zone& zone, app::Log& log) {
  auto entries = schedule::ReadCrontab(ctx.env, path, zone);
  if (!entries.ok()) {
    return Status::InvalidArgument("--crontab / ZITI_CTRL_BACKUP_CRONTAB " +
                                   entries.status().message());
  }
  std::vector<app::DaemonJob> jobs;
  for (auto& e : *entries) jobs.push_back(CrontabJob(ctx, std::move(e), log));
  return jobs;
}

// --validate: the DB the first run will back up. In a new container the
// controller writes its config (and then the DB) only after we start, so
// "not there yet" is fine; a config that is there must locate the DB, and
// whatever is at the DB's path must be a regular file.
Result<std::string> ValidateDb(CommandContext& ctx, const BackupArgs& b) {
  // The controller writes its config on first start, after this runs.
  if (const auto configs = BackupCtrlConfigCandidates(b); !configs.empty()) {
    if (!app::FirstPresent(ctx.env, configs))
      return "db from " + configs.front() + " (not there yet)";
  }
  ZB_ASSIGN_OR_RETURN(const std::string db, LocateBackupDb(ctx, b));
  auto info = ctx.env.Stat(db);
  if (!info.ok()) {
    if (info.status().code() == Code::kNotFound) return "db " + db + " (not there yet)";
    return Status::InvalidArgument("the DB: " + info.status().message());
  }
  if (info->type != FileType::kRegular) return NotRegularFile(db, info->type);
  return "db " + db;
}

// --validate: the metrics file can be written: it is not a directory (or
// FIFO...), the nearest existing ancestor is a directory, and if its
// directory exists a file can be made there (an unnamed one, dropped).
Status ValidateMetricsFile(Env& env, const std::string& path) {
  auto bad = [&](const std::string& why) {
    return BadValue("--metrics-file", "ZITI_CTRL_BACKUP_METRICS_FILE", path, why);
  };
  if (auto info = env.Stat(path); info.ok() && info->type != FileType::kRegular) {
    return bad(NotRegularFile(path, info->type).message());
  }
  Status first;  // why the parent could not be looked at, if it could not
  for (std::string dir = DirName(path);; dir = DirName(dir)) {
    auto info = env.Stat(dir);
    if (info.ok()) {
      if (!info->is_dir) return bad(dir + " is " + FileTypeName(info->type) + ", not a directory");
      if (dir == DirName(path)) {
        auto trial = AtomicFile::Create(env, path);
        if (!trial.ok()) return bad(trial.status().message());
        (*trial)->Abandon();
      } else if (first.code() != Code::kNotFound) {
        return bad(first.message());  // there, but not to us (permissions)
      }
      return Status::OK();  // directories missing below it are made at the first write
    }
    if (first.ok()) first = info.status();
    if (dir == "/" || dir == ".") return Status::OK();
  }
}

Status RunDaemon(CommandContext& ctx, const DaemonArgs& a) {
  const int parent = static_cast<int>(::getppid());
  ZB_ASSIGN_OR_RETURN(app::BackupOptions options, ParseBackupOptions(ctx.env, a.backup));
  ZB_ASSIGN_OR_RETURN(app::LogFormat format, ParseBackupLogFormat(a.backup));
  const Zone zone = options.zone;  // --tz: schedules and retention alike
  ZB_ASSIGN_OR_RETURN(const Duration grace,
                      ParseDurationValue("--grace", "ZITI_CTRL_BACKUP_GRACE", a.grace,
                                         Duration::zero(), kMaxGrace));
  if (!a.metrics_addr.empty()) {
    if (auto addr = ParseListenAddress(a.metrics_addr); !addr.ok()) {
      return BadValue("--metrics-addr", "ZITI_CTRL_BACKUP_METRICS_ADDR", a.metrics_addr,
                      addr.status().message());
    }
  }
  ZB_ASSIGN_OR_RETURN(Targets targets,
                      OpenTargets(ctx, a.backup.targets, TargetCreation(a.backup)));
  ZB_RETURN_IF_ERROR(CheckObjectLocks(targets.all));
  app::Log log(ctx.err, format, ctx.clock);

  std::vector<app::DaemonJob> jobs;
  if (!a.crontab.empty()) {
    ZB_ASSIGN_OR_RETURN(jobs, ReadCrontabJobs(ctx, a.crontab, zone, log));
  } else {
    auto schedule = schedule::Schedule::Parse(a.schedule);
    if (!schedule.ok()) {
      return BadValue("--schedule", "ZITI_CTRL_BACKUP_SCHEDULE", a.schedule,
                      schedule.status().message());
    }
    jobs.push_back(ScheduleJob(ctx, a, options, *schedule, zone, log));
  }
  if (a.validate) {
    // What the daemon would otherwise find only later: the DB, the metrics
    // address (bound and released: a port in use, an address not on this
    // host) and file, and the health check's maximum age.
    std::string db;  // a crontab's commands find their own
    if (a.crontab.empty()) {
      ZB_ASSIGN_OR_RETURN(db, ValidateDb(ctx, a.backup));
    }
    if (!a.metrics_addr.empty()) {
      auto trial = TextServer::Start(a.metrics_addr, [] { return std::string(); });
      if (!trial.ok()) {
        return BadValue("--metrics-addr", "ZITI_CTRL_BACKUP_METRICS_ADDR", a.metrics_addr,
                        trial.status().message());
      }
    }
    if (!a.metrics_file.empty()) {
      ZB_RETURN_IF_ERROR(ValidateMetricsFile(ctx.env, a.metrics_file));
    }
    if (const char* max_age = std::getenv("ZITI_CTRL_BACKUP_MAX_AGE")) {
      ZB_RETURN_IF_ERROR(ParseDurationValue("--max-age", "ZITI_CTRL_BACKUP_MAX_AGE", max_age,
                                            std::chrono::seconds(1), kMaxDuration)
                             .status());
    }
    ctx.out << "configuration ok: ";
    if (!a.crontab.empty()) {
      ctx.out << jobs.size() << " crontab job(s) from " << a.crontab;
    } else {
      ctx.out << "schedule \"" << a.schedule << "\" in " << zone.name() << ", next run "
              << FormatRfc3339(jobs[0].schedule.Next(ctx.clock.Now(), zone));
    }
    if (!db.empty()) ctx.out << "; " << db;
    ctx.out << "; targets";
    for (store::Backend* b : targets.all) ctx.out << " " << b->Describe();
    if (!a.metrics_addr.empty()) ctx.out << "; metrics on " << a.metrics_addr;
    if (!a.metrics_file.empty()) ctx.out << "; metrics file " << a.metrics_file;
    ctx.out << "\n";
    return Status::OK();
  }

  app::Metrics metrics;
  app::DaemonOptions options_d;
  options_d.grace = grace;
  options_d.last_success = [&] {
    return app::NewestInEveryTarget(app::ReadTargetStatus(targets.all), ctx.clock.Now());
  };
  options_d.after_run = [&] {
    metrics.Targets(app::ReadTargetStatus(targets.all));
    if (a.metrics_file.empty()) return;
    if (Status s = WriteFileAtomically(ctx.env, a.metrics_file, metrics.Render()); !s.ok()) {
      log.Event("metrics.fail", {{"file", a.metrics_file}, {"error", s.ToString()}});
    }
  };
  options_d.reload = [&]() -> Result<std::vector<app::DaemonJob>> {
    if (a.crontab.empty()) {
      return Status::InvalidArgument("SIGHUP re-reads a crontab; this daemon runs --schedule");
    }
    return ReadCrontabJobs(ctx, a.crontab, zone, log);
  };
  app::Daemon daemon(ctx.clock, log, metrics, options_d);

  // Signals first, so every thread started below has them blocked.
  // A second SIGTERM/SIGINT ends the process at once, as for `backup`:
  // whatever a job is stuck in, the operator has the last word. An agent
  // command still running is ended with it (it has its own process group).
  SignalWatcher signals({[&](int sig, int count) {
                           log.Event("daemon.signal",
                                     {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"},
                                      {"count", std::to_string(count)}});
                           if (count > 1) {
                             ctx.env.KillProcesses();
                             DieOfSignal(sig);
                           }
                           daemon.RequestStop();
                         },
                         [&] { daemon.RequestReload(); }});
  if (!a.stay_after_parent && !StopWhenParentExits(parent)) {
    return Status::Aborted("the parent process exited before the daemon started");
  }
  std::unique_ptr<TextServer> server;
  if (!a.metrics_addr.empty()) {
    auto started = TextServer::Start(a.metrics_addr, [&] { return metrics.Render(); });
    if (!started.ok())
      return started.status().WithContext("--metrics-addr / ZITI_CTRL_BACKUP_METRICS_ADDR");
    server = std::move(started).value();
  }
  metrics.Targets(app::ReadTargetStatus(targets.all));
  log.Event("daemon.start",
            {{"mode", a.crontab.empty() ? "schedule" : "crontab"},
             {"schedule", a.crontab.empty() ? a.schedule : a.crontab},
             {"zone", zone.name()},
             {"jobs", std::to_string(jobs.size())},
             {"grace", FormatDuration(grace)},
             {"metrics", server ? "port " + std::to_string(server->port()) : "off"}});
  const bool clean = daemon.Run(std::move(jobs));
  log.Event("daemon.stop", {{"jobs", clean ? "finished" : "aborted after the grace period"}});
  return Status::OK();
}

}  // namespace

void RegisterDaemon(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<DaemonArgs>();
  auto* cmd = app.add_subcommand(
      "daemon",
      "Run backups on a schedule, in the foreground, until SIGTERM/SIGINT or until the\n"
      "parent process exits. --schedule runs `backup` in-process with the options below;\n"
      "--crontab runs each line's command with /bin/sh -c instead. No job overlaps its\n"
      "previous run (the run is skipped, with a warning); at start one catch-up backup\n"
      "runs if the newest snapshot is older than one interval (retried after 30s, 1m,\n"
      "2m ... while that is before the next scheduled run). Schedules are in --tz.\n"
      "On SIGTERM a running job gets --grace to finish, then is stopped cleanly.\n"
      "SIGHUP re-reads the crontab. Exit 0 after a stop, 2 for a bad configuration,\n"
      "1 when it cannot start (the metrics address is taken, say).");
  AddEnvOption(cmd, "--schedule", a->schedule, "ZITI_CTRL_BACKUP_SCHEDULE",
               "Cron expression or macro: '0 * * * *', @hourly, @daily, '@every 15m'");
  AddEnvOption(cmd, "--crontab", a->crontab, "ZITI_CTRL_BACKUP_CRONTAB",
               "Crontab file (NAME=value, CRON_TZ=, five fields or a macro, then a command),\n"
               "used instead of --schedule");
  AddEnvOption(cmd, "--grace", a->grace, "ZITI_CTRL_BACKUP_GRACE",
               "On SIGTERM, how long a running job may take to finish before it is stopped");
  AddEnvOption(
      cmd, "--metrics-addr", a->metrics_addr, "ZITI_CTRL_BACKUP_METRICS_ADDR",
      "Serve Prometheus metrics at http://ADDR/metrics (host:port or :port); off if empty");
  AddEnvOption(cmd, "--metrics-file", a->metrics_file, "ZITI_CTRL_BACKUP_METRICS_FILE",
               "Also write the metrics to this file after each run (node_exporter textfile)");
  cmd->add_flag("--validate", a->validate,
                "Check the configuration, print what would run, and exit (0 ok, 2 invalid);\n"
                "also checks ZITI_CTRL_BACKUP_MAX_AGE, which `status` reads");
  cmd->add_flag("--stay-after-parent", a->stay_after_parent,
                "Keep running when the parent process exits (default: stop with it)");
  AddBackupFlags(cmd, a->backup);
  cmd->callback([&ctx, a] { ctx.result = RunDaemon(ctx, *a); });
}

}  // namespace zb::cli
