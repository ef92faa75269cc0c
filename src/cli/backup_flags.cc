#include "cli/backup_flags.h"

#include <unistd.h>

#include <cstdlib>

#include "app/locate_db.h"
#include "cli/targets.h"

#ifndef ZB_VERSION
#define ZB_VERSION "dev"
#endif

namespace zb::cli {

void AddBackupFlags(CLI::App* cmd, BackupArgs& a) {
  AddEnvOption(cmd, "--db", a.db, "ZITI_CTRL_BACKUP_DB",
               "The bbolt file; default: found from the controller config");
  AddEnvOption(cmd, "--ctrl-config", a.ctrl_config, "ZITI_CTRL_BACKUP_CTRL_CONFIG",
               "Controller config YAML to find the DB in (cluster.dataDir or db); default\n"
               "the first of config.yml, config.yaml, ctrl.yaml, ctrl.yml, ctrl-config.yml,\n"
               "ctrl-config.yaml in $ZITI_HOME");
  AddEnvOption(cmd, "--target", a.targets, "ZITI_CTRL_BACKUP_TARGETS",
               "Space-separated target URLs (file:///dir); default file://$ZITI_HOME/backups");
  AddEnvOption(cmd, "--method", a.method, "ZITI_CTRL_BACKUP_METHOD",
               "Snapshot method: auto, cold, hot, agent");
  AddEnvOption(cmd, "--agent-command", a.agent_command, "ZITI_CTRL_BACKUP_AGENT_COMMAND",
               "Command that makes the controller write a snapshot to {out} (no shell)");
  AddEnvOption(cmd, "--agent-timeout", a.agent_timeout, "ZITI_CTRL_BACKUP_AGENT_TIMEOUT",
               "How long the agent command may take");
  AddEnvOption(cmd, "--compress", a.compress, "ZITI_CTRL_BACKUP_COMPRESS", "zstd or none");
  AddEnvOption(cmd, "--zstd-level", a.zstd_level, "ZITI_CTRL_BACKUP_ZSTD_LEVEL",
               "zstd level, 1 to 19");
  AddAgeRecipientFlags(cmd, a.age);
  AddRetentionFlags(cmd, a.retention);
  AddEnvOption(cmd, "--log-format", a.log_format, "ZITI_CTRL_BACKUP_LOG_FORMAT",
               "Events on stderr as text or json");
  cmd->add_flag("--wait", a.wait,
                "If another backup holds a target's lock, wait for it instead of exit 4");
  cmd->add_flag("--create-target", a.create_target,
                "Make a file:// target's whole path if it is missing (by default only its\n"
                "last directory is made, so a typo or an unmounted volume is an error)")
      ->envname("ZITI_CTRL_BACKUP_CREATE_TARGET");
  cmd->add_flag("--incremental", a.incremental,
                "Store each backup as a pack of the pages that changed since the last one\n"
                "in that target (docs/incremental.md), or a new full base when there is no\n"
                "usable chain state (a backup.full event says why)")
      ->envname("ZITI_CTRL_BACKUP_INCREMENTAL");
  AddEnvOption(cmd, "--state-dir", a.state_dir, "ZITI_CTRL_BACKUP_STATE_DIR",
               "Where --incremental keeps each target's chain state (page hashes, 16 bytes\n"
               "per page; losing it costs one full backup); default: the work directory");
  cmd->add_option("--work-dir", a.work_dir,
                  "Where the snapshot is staged before upload (default: the DB's directory)");
}

Result<app::BackupOptions> ParseBackupOptions(Env& env, const BackupArgs& a) {
  app::BackupOptions o;
  auto method = snapshot::ParseMethod(a.method);
  if (!method.ok())
    return BadValue("--method", "ZITI_CTRL_BACKUP_METHOD", a.method,
                    "use auto, cold, hot or agent");
  o.source.method = *method;
  if (!a.agent_command.empty()) {
    auto argv = snapshot::SplitCommand(a.agent_command);
    if (!argv.ok())
      return argv.status().WithContext("--agent-command / ZITI_CTRL_BACKUP_AGENT_COMMAND");
    o.source.agent.argv_template = *argv;
  }
  // 0 would mean no timeout at all to the process runner.
  ZB_ASSIGN_OR_RETURN(Duration timeout,
                      ParseDurationValue("--agent-timeout", "ZITI_CTRL_BACKUP_AGENT_TIMEOUT",
                                         a.agent_timeout, kMinAgentTimeout, kMaxAgentTimeout));
  o.source.agent.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  if (a.compress != "zstd" && a.compress != "none") {
    return BadValue("--compress", "ZITI_CTRL_BACKUP_COMPRESS", a.compress, "use zstd or none");
  }
  ZB_ASSIGN_OR_RETURN(int level,
                      ParseCount("--zstd-level", "ZITI_CTRL_BACKUP_ZSTD_LEVEL", a.zstd_level));
  if (level < 1 || level > 19)
    return BadValue("--zstd-level", "ZITI_CTRL_BACKUP_ZSTD_LEVEL", a.zstd_level, "want 1 to 19");
  o.zstd_level = a.compress == "none" ? 0 : level;
  ZB_ASSIGN_OR_RETURN(o.recipients, LoadAgeRecipients(env, a.age));
  ZB_ASSIGN_OR_RETURN(o.policy, ParseRetention(a.retention));
  ZB_ASSIGN_OR_RETURN(o.zone, ParseZone(a.retention));
  ZB_RETURN_IF_ERROR(ParseBackupLogFormat(a).status());
  o.work_dir = a.work_dir;
  o.wait = a.wait;
  o.incremental = a.incremental;
  o.state_dir = a.state_dir;
  if (!a.state_dir.empty()) {
    // Missing is fine (it is made on first use); a file there is a typo.
    if (auto st = env.Stat(a.state_dir); st.ok() && !st->is_dir) {
      return BadValue("--state-dir", "ZITI_CTRL_BACKUP_STATE_DIR", a.state_dir, "not a directory");
    }
  }
  o.tool_version = ZB_VERSION;
  o.host = Hostname();
  return o;
}

Result<app::LogFormat> ParseBackupLogFormat(const BackupArgs& a) {
  auto format = app::ParseLogFormat(a.log_format);
  if (!format.ok())
    return BadValue("--log-format", "ZITI_CTRL_BACKUP_LOG_FORMAT", a.log_format,
                    "use text or json");
  return *format;
}

namespace {

std::optional<std::string> GetEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace

Result<std::string> LocateBackupDb(CommandContext& ctx, const BackupArgs& a) {
  return app::LocateDb(ctx.env, a.db, a.ctrl_config, GetEnv);
}

std::vector<std::string> BackupCtrlConfigCandidates(const BackupArgs& a) {
  if (!a.db.empty()) return {};
  return app::ControllerConfigCandidates(a.ctrl_config, GetEnv);
}

store::MissingDir TargetCreation(const BackupArgs& a) {
  return a.create_target ? store::MissingDir::kCreateAll : store::MissingDir::kCreateLast;
}

std::string DescribeOutcome(const app::BackupOutcome& r) {
  const int ok = r.succeeded(), all = static_cast<int>(r.targets.size());
  return std::string(ok == all ? "backup ok"
                     : ok > 0  ? "backup partial"
                               : "backup failed") +
         ": id=" + r.id + " txid=" + std::to_string(r.txid) +
         " raft_index=" + (r.raft_index ? std::to_string(*r.raft_index) : "-") +
         " method=" + r.method + " plain_bytes=" + std::to_string(r.plain_bytes) +
         " stored_bytes=" + std::to_string(r.stored_bytes) +
         " duration=" + FormatSeconds(r.elapsed) + " targets=" + std::to_string(ok) + "/" +
         std::to_string(all);
}

Status OutcomeStatus(const app::BackupOutcome& r, bool* partial) {
  const int ok = r.succeeded(), all = static_cast<int>(r.targets.size());
  *partial = false;
  if (ok == all) return Status::OK();
  std::string failed;
  for (const auto& t : r.targets) {
    if (!t.status.ok())
      failed += (failed.empty() ? "" : "; ") + t.target + ": " + t.status.ToString();
  }
  if (ok > 0) {
    *partial = true;
    return Status::IOError("some targets failed: " + failed);
  }
  // Every target stopped by a signal: say so, with its own code.
  bool aborted = true;
  for (const auto& t : r.targets) aborted = aborted && t.status.code() == Code::kAborted;
  if (aborted) return Status::Aborted("stopped before any target took the backup: " + failed);
  return Status::IOError("no target took the backup: " + failed);
}

}  // namespace zb::cli
