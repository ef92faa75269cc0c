// `ziti-backup snapshot`: one consistent, checked copy of a bbolt file.
#include <ostream>

#include "app/log.h"
#include "app/meta_fallback_event.h"
#include "app/snapshot_retry_log.h"
#include "app/snapshot_verifier.h"
#include "base/duration.h"
#include "cli/backup_flags.h"
#include "cli/command.h"
#include "snapshot/choose_source.h"
#include "snapshot/write_snapshot.h"

namespace zb::cli {
namespace {

// Each attempt waits at most 500ms before the next: 1000 is minutes of
// trying, more is a typo.
constexpr int kMaxHotAttempts = 1000;

struct SnapshotArgs {
  std::string db;
  std::string out;
  std::string method = "auto";
  bool no_scrub = false;
  std::string agent_command;
  std::string agent_timeout = "60s";
  int hot_attempts = 30;
};

Status RunSnapshot(CommandContext& ctx, const SnapshotArgs& args) {
  snapshot::SourceOptions options;
  ZB_ASSIGN_OR_RETURN(options.method, snapshot::ParseMethod(args.method));
  if (!args.agent_command.empty()) {
    ZB_ASSIGN_OR_RETURN(options.agent.argv_template, snapshot::SplitCommand(args.agent_command));
  }
  ZB_ASSIGN_OR_RETURN(Duration timeout,
                      ParseDurationValue("--agent-timeout", "", args.agent_timeout,
                                         kMinAgentTimeout, kMaxAgentTimeout));
  options.agent.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  if (args.hot_attempts < 1 || args.hot_attempts > kMaxHotAttempts) {
    return BadValue("--hot-attempts", "", std::to_string(args.hot_attempts),
                    "want 1 to " + std::to_string(kMaxHotAttempts));
  }
  options.hot.max_attempts = args.hot_attempts;
  app::Log log(ctx.err, app::LogFormat::kText, ctx.clock);
  options.hot.on_retry = [&log](const snapshot::RetryInfo& r) { app::LogSnapshotRetry(log, r); };
  options.agent.on_fallback = [&log](const Status& why) { app::LogAgentFallback(log, why); };

  ZB_ASSIGN_OR_RETURN(auto source, snapshot::ChooseSource(ctx.env, ctx.clock, args.db, options));
  snapshot::WriteOptions write{.scrub = !args.no_scrub};
  ZB_ASSIGN_OR_RETURN(snapshot::WriteResult r,
                      snapshot::WriteSnapshot(ctx.env, ctx.clock, *source, args.out, write,
                                              app::SnapshotVerifier(ctx.env)));
  if (const auto& f = r.image.meta_fallback) {
    log.Event(app::kMetaFallbackEvent, app::MetaFallbackFields(args.db, *f));
  }
  ctx.out << "snapshot ok: method=" << r.image.method << " txid=" << r.image.meta.txid
          << " bytes=" << r.bytes << " attempts=" << r.image.attempts
          << " scrubbed_pages=" << r.scrubbed_pages << " duration=" << FormatSeconds(r.elapsed)
          << " out=" << args.out << "\n";
  return Status::OK();
}

}  // namespace

void RegisterSnapshot(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<SnapshotArgs>();
  auto* cmd = app.add_subcommand(
      "snapshot",
      "Write one consistent, checked copy of a bbolt file to OUT.\n"
      "Methods: cold = the DB is not in use (a shared lock is taken; exit 4 if a writer holds\n"
      "it); hot = copy while the writer keeps committing, following its commits so the copy\n"
      "is exactly one transaction; agent = ask the running controller to write the snapshot\n"
      "(--agent-command); auto = cold if the lock is free, else agent if configured, else hot.\n"
      "OUT appears only when complete (temp file, fsync, rename), mode 0600. Both meta pages\n"
      "are rewritten like bbolt's Tx.WriteTo, free pages are zeroed (unless --no-scrub), and\n"
      "the result is checked before it counts.");
  cmd->add_option("DB", args->db, "The bbolt file (e.g. /ziti-controller/ctrl-ha.db)")->required();
  cmd->add_option("OUT", args->out, "Where to write the snapshot")->required();
  cmd->add_option("--method", args->method, "auto, cold, hot or agent")
      ->envname("ZITI_CTRL_BACKUP_METHOD")
      ->capture_default_str();
  cmd->add_flag("--no-scrub", args->no_scrub,
                "Keep the old contents of free pages (they may hold deleted secrets)");
  cmd->add_option("--agent-command", args->agent_command,
                  "Command that makes the running controller write a snapshot to {out}, e.g.\n"
                  "'ziti agent controller snapshot-db {out}'; run without a shell")
      ->envname("ZITI_CTRL_BACKUP_AGENT_COMMAND");
  cmd->add_option("--agent-timeout", args->agent_timeout, "How long the agent command may take")
      ->capture_default_str();
  cmd->add_option("--hot-attempts", args->hot_attempts,
                  "Hot copies to try (with backoff) before giving up")
      ->capture_default_str();
  cmd->callback([&ctx, args] { ctx.result = RunSnapshot(ctx, *args); });
}

}  // namespace zb::cli
