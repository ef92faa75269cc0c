// The options of a backup run, shared by `backup` and `daemon --schedule`
// (which runs the same backup in-process): each flag with its
// ZITI_CTRL_BACKUP_* variable, validated up front so that a bad value is a
// startup error (exit 2) naming both, never a failure at the first run.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/backup_job.h"
#include "cli/age_flags.h"
#include "cli/command.h"
#include "cli/retention_flags.h"
#include "store/local_backend.h"

namespace zb::cli {

// The agent command's time limit: long enough for any controller, short
// enough that a hung agent is noticed the same day.
inline constexpr Duration kMinAgentTimeout = std::chrono::seconds(1);
inline constexpr Duration kMaxAgentTimeout = std::chrono::hours(24);

struct BackupArgs {
  std::string db, ctrl_config, targets, method = "auto", agent_command, agent_timeout = "60s";
  std::string compress = "zstd", zstd_level = "3", log_format = "text", work_dir, state_dir;
  bool wait = false;
  bool create_target = false;
  bool incremental = false;
  RetentionArgs retention;
  AgeRecipientArgs age;
};

void AddBackupFlags(CLI::App* cmd, BackupArgs& a);

// Everything but the DB, which is located per run (LocateBackupDb): in a
// new container the controller writes its config only after we start.
Result<app::BackupOptions> ParseBackupOptions(Env& env, const BackupArgs& a);
Result<app::LogFormat> ParseBackupLogFormat(const BackupArgs& a);
Result<std::string> LocateBackupDb(CommandContext& ctx, const BackupArgs& a);
// The controller configs LocateBackupDb may read (none with --db, or when
// neither --ctrl-config nor ZITI_HOME is set).
std::vector<std::string> BackupCtrlConfigCandidates(const BackupArgs& a);

// What a file:// target of a backup does when its directory is missing:
// make the last level only, or the whole path with --create-target.
store::MissingDir TargetCreation(const BackupArgs& a);

// "backup ok: id=... txid=... targets=1/1" and the Status for the exit code
// (kOk; kIOError with `partial` set when some targets failed).
std::string DescribeOutcome(const app::BackupOutcome& r);
Status OutcomeStatus(const app::BackupOutcome& r, bool* partial);

}  // namespace zb::cli
