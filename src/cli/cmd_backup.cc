// `ziti-backup backup`: what schedules call. Snapshot, check, store in every
// target, retention (app/backup_job). Every value may come from a flag or
// its ZITI_CTRL_BACKUP_* variable (spec §3); a malformed one is exit 2
// naming both. SIGTERM or SIGINT stop the run cleanly: the work in progress
// fails as an I/O error would and is cleaned up (StoppableEnv); a second
// one ends the process, and any agent command it runs, at once.
#include <csignal>
#include <ostream>

#include "cli/backup_flags.h"
#include "cli/targets.h"
#include "env/signals.h"
#include "env/stoppable_env.h"

namespace zb::cli {
namespace {

Status RunBackupCommand(CommandContext& ctx, const BackupArgs& a) {
  std::stop_source stop;
  SignalWatcher signals({[&](int sig, int count) {
                           if (count > 1) {
                             ctx.env.KillProcesses();
                             DieOfSignal(sig);
                           }
                           stop.request_stop();
                         },
                         nullptr});
  StoppableEnv env(ctx.env, stop.get_token());
  CommandContext run_ctx{env, ctx.clock, ctx.out, ctx.err, Status::OK()};
  ZB_ASSIGN_OR_RETURN(app::BackupOptions o, ParseBackupOptions(ctx.env, a));
  ZB_ASSIGN_OR_RETURN(app::LogFormat format, ParseBackupLogFormat(a));
  ZB_ASSIGN_OR_RETURN(o.db, LocateBackupDb(run_ctx, a));
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(run_ctx, a.targets, TargetCreation(a)));
  ZB_RETURN_IF_ERROR(CheckObjectLocks(t.all));
  app::Log log(ctx.err, format, ctx.clock);
  o.target_policies = t.policies;
  ZB_ASSIGN_OR_RETURN(app::BackupOutcome r, app::RunBackup(env, ctx.clock, t.all, o, log));
  ctx.out << DescribeOutcome(r) << "\n";
  bool partial = false;
  Status s = OutcomeStatus(r, &partial);
  if (partial) ctx.exit_override = 5;
  return s;
}

}  // namespace

void RegisterBackup(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<BackupArgs>();
  auto* cmd = app.add_subcommand(
      "backup",
      "Take a consistent snapshot of the DB, check it, store it in every target (zstd,\n"
      "SHA-256 of plain and stored bytes, data first and the manifest last), then apply\n"
      "the retention policy in each target that took it. Exit 0 ok, 5 when some targets\n"
      "failed and others succeeded, 1 when none did, 2 for bad configuration, 4 busy.\n"
      "SIGTERM/SIGINT stop it cleanly (no temp files); a second one stops it at once.\n"
      "Each option also reads the ZITI_CTRL_BACKUP_* variable named in its help.");
  AddBackupFlags(cmd, *a);
  cmd->callback([&ctx, a] { ctx.result = RunBackupCommand(ctx, *a); });
}

}  // namespace zb::cli
