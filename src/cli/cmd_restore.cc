// `ziti-backup restore`: put a snapshot back as the live DB file. Refuses
// while a process holds the file's lock (exit 4) and to replace an existing
// file without --force (exit 2). The snapshot is restored through every
// check verify makes into an unnamed file beside PATH; only then does
// app::PutBack give it the old file's owner and mode, keep the old file as
// PATH.pre-restore-<time> and swap the new one in.
// A clustered controller keeps ctrl-ha.db beside raft.db (spec §13), and
// there the file alone is the wrong tool: replacing it while raft.db stays
// is a repair (the controller replays its log past the snapshot), and
// putting it where raft.db is gone makes a controller that acknowledges
// writes and loses them, which is refused. A rollback goes through the
// running controller: --via-agent restores to a private side file in the
// data dir and runs `ziti agent cluster restore-from-db` on it; the
// controller then exits by design and is started again.
#include <ostream>

#include "app/put_back.h"
#include "app/restore_file.h"
#include "app/target_status.h"
#include "cli/age_flags.h"
#include "cli/backup_flags.h"
#include "cli/command.h"
#include "cli/retention_flags.h"
#include "cli/targets.h"
#include "env/process.h"
#include "env/remove_on_exit.h"
#include "repo/snapshot_id.h"
#include "snapshot/agent_output.h"
#include "snapshot/agent_source.h"
#include "snapshot/source.h"

namespace zb::cli {
namespace {

// How long --via-agent watches for the controller to exit after it took
// the snapshot (it exits about 5 s later, by design).
constexpr auto kControllerExitWait = std::chrono::seconds(60);

struct RestoreArgs {
  std::string which;
  std::string to;
  std::string targets;
  bool force = false;
  bool via_agent = false;
  std::string agent_command = "ziti agent cluster restore-from-db {in}";
  std::string agent_timeout = "60s";
  std::string identity_file;
};

// A clustered controller's data dir: raft.db beside the DB file.
bool RaftLogBeside(Env& env, const std::string& to) {
  return env.Stat(DirName(to) + "/raft.db").ok();
}

// kBusy if a process (the controller) holds a lock on `path`.
Status RefuseIfInUse(Env& env, const std::string& path) {
  auto lock = env.TryLock(path, LockMode::kExclusive);
  if (lock.ok() || lock.status().code() == Code::kNotFound) return Status::OK();
  if (lock.status().code() == Code::kBusy) {
    return Status::Busy(path + " is in use by a running process (stop the controller first" +
                        std::string(RaftLogBeside(env, path)
                                        ? "; to roll a running clustered controller back, use "
                                          "--via-agent"
                                        : "") +
                        ")");
  }
  return lock.status();
}

// --to must name a file in a directory that exists: a typo must not make a
// tree, and "/" or a directory is no DB file.
Status CheckDestination(Env& env, const std::string& to) {
  const std::string base = BaseName(to);
  if (to.empty() || to.back() == '/' || base.empty() || base == "." || base == "..") {
    return Status::InvalidArgument("--to " + to + " does not name a file");
  }
  if (auto info = env.Stat(to); info.ok() && info->is_dir) {
    return Status::InvalidArgument("--to " + to + " is a directory; name the DB file in it (e.g. " +
                                   to + "/ctrl-ha.db)");
  }
  auto dir = env.Stat(DirName(to));
  if (!dir.ok() || !dir->is_dir) {
    return Status::InvalidArgument("--to " + to + ": directory " + DirName(to) + " does not exist");
  }
  return Status::OK();
}

struct Chosen {
  repo::Manifest manifest;
  store::Backend* from = nullptr;
};

// The snapshot `which` names (an id, or latest) in the targets.
Result<Chosen> ChooseSnapshot(CommandContext& ctx, const Targets& t, const std::string& which) {
  const TimePoint now = ctx.clock.Now();
  std::optional<Chosen> chosen;
  for (store::Backend* b : t.all) {
    repo::Repository repo(*b);
    if (which == "latest") {
      // The last one made in each target (creation order, whatever the
      // clock did); across targets the most recent one, preferring those
      // not dated in the future.
      ZB_ASSIGN_OR_RETURN(repo::Listing l, repo.List());
      if (l.snapshots.empty()) continue;
      const repo::Manifest& newest = l.snapshots.back().manifest;
      auto rank = [&](const repo::Manifest& m) {
        return std::make_pair(!app::DatedInFuture(m, now), m.created);
      };
      if (!chosen || rank(newest) > rank(chosen->manifest)) chosen = Chosen{newest, b};
    } else if (auto m = repo.Load(which); m.ok()) {
      chosen = Chosen{*m, b};
      break;
    } else if (m.status().code() != Code::kNotFound) {
      return m.status();
    }
  }
  if (!chosen) {
    return which == "latest" ? Status::NotFound("no snapshots in the targets")
                             : NoSuchSnapshot(which, t);
  }
  if (app::DatedInFuture(chosen->manifest, now)) {
    ctx.err << "ziti-backup: warning: snapshot " << chosen->manifest.id << " is dated "
            << FormatRfc3339(chosen->manifest.created) << ", in the future of this host's clock ("
            << FormatRfc3339(now) << "); the clock may have stepped back since it was made. "
            << (which == "latest"
                    ? "It is the last snapshot made in " + chosen->from->Describe() + "."
                    : std::string())
            << "\n";
  }
  return *chosen;
}

std::string RaftIndexOf(const repo::Manifest& m) {
  return m.ziti && m.ziti->raft_index ? " raft_index=" + std::to_string(*m.ziti->raft_index) : "";
}

bool IsClusterSnapshot(const repo::Manifest& m) { return m.ziti && m.ziti->cluster_id; }

// After a plain restore: what the controller will make of the file.
void SayWhatHappensNext(CommandContext& ctx, const RestoreArgs& a, const repo::Manifest& m) {
  if (RaftLogBeside(ctx.env, a.to)) {
    ctx.out << "This is a REPAIR, not a rollback: raft.db stays beside " << BaseName(a.to)
            << ", so on start the controller\n"
               "replays its raft log past this snapshot and comes back at its latest state.\n"
               "To roll a clustered controller back to this snapshot, start it and run this\n"
               "restore again with --via-agent.\n";
  } else if (IsClusterSnapshot(m)) {
    ctx.out << "This snapshot is of a clustered controller (cluster " << *m.ziti->cluster_id
            << "). To roll one back to it,\nrun on the running controller (it exits when done; "
               "start it again):\n  ziti agent cluster restore-from-db "
            << a.to << "\n";
  } else if (m.ziti) {
    ctx.out << "Start the controller: it serves this snapshot.\n";
  }
}

Status RunPlainRestore(CommandContext& ctx, const RestoreArgs& a,
                       const std::vector<codec::SecretKey>& identities) {
  ZB_RETURN_IF_ERROR(RefuseIfInUse(ctx.env, a.to));
  if (BaseName(a.to) == "ctrl-ha.db" && !RaftLogBeside(ctx.env, a.to)) {
    return Status::InvalidArgument(
        "refusing to put a file at " + a.to +
        ": there is no raft.db beside it, and a clustered "
        "controller started on a lone ctrl-ha.db acknowledges writes and then loses them. To "
        "roll a clustered controller back: start it (an empty cluster.dataDir is fine), then run "
        "this restore with --via-agent. To look at the snapshot, restore it under another name.");
  }
  const bool exists = ctx.env.Stat(a.to).ok();
  if (exists && !a.force) {
    return Status::InvalidArgument(a.to + " exists; add --force to replace it (it is kept as " +
                                   a.to + ".pre-restore-<time>)");
  }
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(ctx, a.targets, store::MissingDir::kFail));
  ZB_ASSIGN_OR_RETURN(Chosen chosen, ChooseSnapshot(ctx, t, a.which));
  ZB_RETURN_IF_ERROR(RequireIdentity(chosen.manifest, identities));
  repo::Repository repo(*chosen.from);
  ZB_ASSIGN_OR_RETURN(auto restored, AtomicFile::Create(ctx.env, a.to));
  ZB_RETURN_IF_ERROR(app::RestoreInto(ctx.env, repo, chosen.manifest, *restored, identities));
  // The controller may have started while we fetched.
  ZB_RETURN_IF_ERROR(RefuseIfInUse(ctx.env, a.to));
  const std::string previous_name =
      a.to + ".pre-restore-" + repo::MakeSnapshotId("x", ctx.clock.Now()).ToString().substr(2);
  ZB_ASSIGN_OR_RETURN(app::PutBackResult put,
                      app::PutBack(ctx.env, *restored, a.to, previous_name));
  ctx.out << "restore ok: id=" << chosen.manifest.id << " txid=" << chosen.manifest.txid
          << RaftIndexOf(chosen.manifest) << " from " << chosen.from->Describe() << " to=" << a.to;
  if (!put.previous.empty()) ctx.out << " previous=" << put.previous;
  ctx.out << "\n";
  SayWhatHappensNext(ctx, a, chosen.manifest);
  return Status::OK();
}

// The command --via-agent runs, checked whether or not it is used, as every
// setting is.
struct AgentRestore {
  std::vector<std::string> argv;
  Duration timeout{0};
};

Result<AgentRestore> ParseAgentRestore(const RestoreArgs& a) {
  AgentRestore r;
  auto argv = snapshot::SplitCommand(a.agent_command);
  if (!argv.ok()) {
    return argv.status().WithContext(
        "--agent-restore-command / ZITI_CTRL_BACKUP_AGENT_RESTORE_COMMAND");
  }
  r.argv = *argv;
  ZB_ASSIGN_OR_RETURN(r.timeout,
                      ParseDurationValue("--agent-timeout", "ZITI_CTRL_BACKUP_AGENT_TIMEOUT",
                                         a.agent_timeout, kMinAgentTimeout, kMaxAgentTimeout));
  return r;
}

// The rollback of a clustered controller, through the running controller.
Status RunRestoreViaAgent(CommandContext& ctx, const RestoreArgs& a, const AgentRestore& agent,
                          const std::vector<codec::SecretKey>& identities) {
  if (!RaftLogBeside(ctx.env, a.to)) {
    return Status::InvalidArgument(
        "--via-agent rolls back a clustered controller: --to names its live DB file, beside "
        "raft.db in cluster.dataDir; there is no raft.db beside " +
        a.to);
  }
  if (auto lock = ctx.env.TryLock(a.to, LockMode::kShared); lock.ok()) {
    return Status::InvalidArgument("no controller is running on " + a.to +
                                   ": --via-agent goes through the running controller (start "
                                   "it, then run this again)");
  } else if (lock.status().code() != Code::kBusy) {
    return lock.status();
  }
  const std::vector<std::string>& argv = agent.argv;
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(ctx, a.targets, store::MissingDir::kFail));
  ZB_ASSIGN_OR_RETURN(Chosen chosen, ChooseSnapshot(ctx, t, a.which));
  ZB_RETURN_IF_ERROR(RequireIdentity(chosen.manifest, identities));

  // The side file: in the data dir (the controller's user can read it
  // there: PutBack gives it the directory's owner, mode 0600), named as a
  // run file so a later backup removes it if this process dies first.
  const std::string side =
      snapshot::RunFileName(DirName(a.to), ctx.env.Pid(), "restore-" + chosen.manifest.id);
  RemoveOnExit cleanup(ctx.env, side);
  repo::Repository repo(*chosen.from);
  ZB_ASSIGN_OR_RETURN(auto restored, AtomicFile::Create(ctx.env, side));
  ZB_RETURN_IF_ERROR(app::RestoreInto(ctx.env, repo, chosen.manifest, *restored, identities));
  ZB_RETURN_IF_ERROR(app::PutBack(ctx.env, *restored, side, side + ".none").status());

  ProcessSpec spec;
  spec.argv = ExpandArgv(argv, side, "{in}");
  spec.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(agent.timeout);
  ZB_ASSIGN_OR_RETURN(ProcessResult r, ctx.env.RunProcess(spec));
  // ziti exits 0 when the controller refused: its output says which.
  if (r.timed_out || r.term_signal != 0 || r.exit_code != 0 ||
      !snapshot::RestoreFromDbTook(r.output, side)) {
    const std::string said = snapshot::ZitiErrorLine(r.output);
    return Status::IOError("the controller did not take snapshot " + chosen.manifest.id + " (" +
                           argv.front() + " " + DescribeOutcome(r, spec.timeout) +
                           (said.empty() ? "" : ": " + said) + "); nothing was changed");
  }
  ctx.out << "restore ok: id=" << chosen.manifest.id << " txid=" << chosen.manifest.txid
          << RaftIndexOf(chosen.manifest) << " from " << chosen.from->Describe()
          << " via the controller of " << a.to << "\n"
          << "The controller took the snapshot and exits to finish the rollback (by design).\n"
          << std::flush;
  // It exits a few seconds later, releasing its lock on the DB.
  const auto deadline = ctx.clock.Steady() + kControllerExitWait;
  bool exited = false;
  while (!(exited = ctx.env.TryLock(a.to, LockMode::kShared).ok()) &&
         ctx.clock.Steady() < deadline) {
    ctx.clock.SleepFor(std::chrono::milliseconds(200));
  }
  ctx.out << (exited ? "It has exited. " : "It has not exited yet; it will. ")
          << "Start it again (systemd's Restart= or a container's restart policy\n"
             "may do it for you); it then serves exactly this snapshot.\n";
  return Status::OK();
}

Status RunRestore(CommandContext& ctx, const RestoreArgs& a) {
  if (a.to.empty()) return Status::InvalidArgument("--to PATH is required");
  ZB_ASSIGN_OR_RETURN(AgentRestore agent, ParseAgentRestore(a));
  ZB_ASSIGN_OR_RETURN(std::vector<codec::SecretKey> identities,
                      LoadAgeIdentities(ctx.env, a.identity_file));
  ZB_RETURN_IF_ERROR(CheckDestination(ctx.env, a.to));
  return a.via_agent ? RunRestoreViaAgent(ctx, a, agent, identities)
                     : RunPlainRestore(ctx, a, identities);
}

}  // namespace

void RegisterRestore(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<RestoreArgs>();
  auto* cmd = app.add_subcommand(
      "restore",
      "Put a snapshot back as the DB file at --to. Refuses while a process holds the file's\n"
      "lock (exit 4) and to replace an existing file without --force (exit 2). The snapshot\n"
      "passes every verify check before anything is replaced; the old file is kept as\n"
      "PATH.pre-restore-<time>, and the new one gets its owner, group and mode (or the\n"
      "directory's owner and 0600), so the controller's user can open it. Exit 3 if the\n"
      "snapshot is damaged.\n"
      "Clustered controllers (raft.db beside ctrl-ha.db): replacing the stopped controller's\n"
      "ctrl-ha.db is a repair (it replays its raft log past the snapshot); a rollback is\n"
      "--via-agent on the running controller, which then exits and must be started again.\n"
      "A ctrl-ha.db with no raft.db beside it is refused.\n"
      "An encrypted snapshot needs --identity; a wrong one is exit 3, and nothing is written.");
  cmd->add_option("SNAPSHOT", a->which, "A snapshot id, or latest")->required();
  cmd->add_option("--to", a->to,
                  "The DB file to write (e.g. /var/lib/ziti-controller/db/ctrl.db); with\n"
                  "--via-agent the running controller's ctrl-ha.db")
      ->required();
  cmd->add_flag("--force", a->force, "Replace an existing file (kept as .pre-restore-<time>)");
  cmd->add_flag("--via-agent", a->via_agent,
                "Roll a running clustered controller back: restore to a side file beside --to,\n"
                "then have the controller take it (--agent-restore-command)");
  AddEnvOption(cmd, "--agent-restore-command", a->agent_command,
               "ZITI_CTRL_BACKUP_AGENT_RESTORE_COMMAND",
               "With --via-agent: the command that makes the controller restore from {in}\n"
               "(no shell; add -p PID or -i ID when several ziti processes run)");
  AddEnvOption(cmd, "--agent-timeout", a->agent_timeout, "ZITI_CTRL_BACKUP_AGENT_TIMEOUT",
               "How long that command may take");
  AddAgeIdentityFlag(cmd, a->identity_file);
  cmd->add_option("--target", a->targets, "Space-separated target URLs")
      ->envname("ZITI_CTRL_BACKUP_TARGETS");
  cmd->callback([&ctx, a] { ctx.result = RunRestore(ctx, *a); });
}

}  // namespace zb::cli
