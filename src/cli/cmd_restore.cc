// `ziti-backup restore`: put a snapshot back as the live DB file. Refuses
// while a process holds the file's lock (exit 4) and to replace an existing
// file without --force (exit 2). The snapshot is restored through every
// check verify makes into a temp file beside PATH; only then is the old file
// renamed to PATH.pre-restore-<time> and the new one renamed to PATH.
#include <ostream>

#include "app/restore_file.h"
#include "app/target_status.h"
#include "cli/command.h"
#include "cli/targets.h"
#include "repo/snapshot_id.h"

namespace zb::cli {
namespace {

struct RestoreArgs {
  std::string which;
  std::string to;
  std::string targets;
  bool force = false;
};

// kBusy if a process (the controller) holds a lock on `path`.
Status RefuseIfInUse(Env& env, const std::string& path) {
  auto lock = env.TryLock(path, LockMode::kExclusive);
  if (lock.ok() || lock.status().code() == Code::kNotFound) return Status::OK();
  if (lock.status().code() == Code::kBusy) {
    return Status::Busy(path + " is in use by a running process (stop the controller first)");
  }
  return lock.status();
}

Status RunRestore(CommandContext& ctx, const RestoreArgs& a) {
  if (a.to.empty()) return Status::InvalidArgument("--to PATH is required");
  ZB_RETURN_IF_ERROR(RefuseIfInUse(ctx.env, a.to));
  const bool exists = ctx.env.Stat(a.to).ok();
  if (exists && !a.force) {
    return Status::InvalidArgument(a.to + " exists; add --force to replace it (it is kept as " +
                                   a.to + ".pre-restore-<time>)");
  }
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(ctx, a.targets, store::MissingDir::kFail));
  const TimePoint now = ctx.clock.Now();
  std::optional<repo::Manifest> chosen;
  store::Backend* from = nullptr;
  for (store::Backend* b : t.all) {
    repo::Repository repo(*b);
    if (a.which == "latest") {
      // The last one made in each target (creation order, whatever the
      // clock did); across targets the most recent one, preferring those
      // not dated in the future.
      ZB_ASSIGN_OR_RETURN(repo::Listing l, repo.List());
      if (l.snapshots.empty()) continue;
      const repo::Manifest& newest = l.snapshots.back().manifest;
      auto rank = [&](const repo::Manifest& m) {
        return std::make_pair(!app::DatedInFuture(m, now), m.created);
      };
      if (!chosen || rank(newest) > rank(*chosen)) {
        chosen = newest;
        from = b;
      }
    } else if (auto m = repo.Load(a.which); m.ok()) {
      chosen = *m;
      from = b;
      break;
    } else if (m.status().code() != Code::kNotFound) {
      return m.status();
    }
  }
  if (!chosen) {
    return Status::NotFound(a.which == "latest" ? "no snapshots in the targets"
                                                : "no snapshot " + a.which + " in the targets");
  }
  if (app::DatedInFuture(*chosen, now)) {
    ctx.err << "ziti-backup: warning: snapshot " << chosen->id << " is dated "
            << FormatRfc3339(chosen->created) << ", in the future of this host's clock ("
            << FormatRfc3339(now) << "); the clock may have stepped back since it was made. "
            << (a.which == "latest" ? "It is the last snapshot made in " + from->Describe() + "."
                                    : std::string())
            << "\n";
  }
  repo::Repository repo(*from);
  const std::string staged = DirName(a.to) + "/." + BaseName(a.to) + ".restore-" + chosen->id;
  Status s = app::RestoreToFile(ctx.env, repo, *chosen, staged);
  if (!s.ok()) {
    ctx.env.Remove(staged).IgnoreError();
    return s;
  }
  // The controller may have started while we fetched.
  if (Status busy = RefuseIfInUse(ctx.env, a.to); !busy.ok()) {
    ctx.env.Remove(staged).IgnoreError();
    return busy;
  }
  std::string previous;
  if (ctx.env.Stat(a.to).ok()) {
    previous =
        a.to + ".pre-restore-" + repo::MakeSnapshotId("x", ctx.clock.Now()).ToString().substr(2);
    ZB_RETURN_IF_ERROR(ctx.env.Rename(a.to, previous));
  }
  ZB_RETURN_IF_ERROR(ctx.env.Rename(staged, a.to));
  ZB_RETURN_IF_ERROR(ctx.env.SyncDir(DirName(a.to)));
  ctx.out << "restore ok: id=" << chosen->id << " txid=" << chosen->txid << " from "
          << from->Describe() << " to=" << a.to;
  if (!previous.empty()) ctx.out << " previous=" << previous;
  ctx.out << "\n";
  if (BaseName(a.to) == "ctrl-ha.db" || (chosen->ziti && chosen->ziti->cluster_id)) {
    ctx.out << "This is an HA (raft) controller DB: replacing the file does not roll back the\n"
               "cluster. Apply it on a running controller with:\n"
               "  ziti agent cluster restore-from-db "
            << a.to << "\n";
  }
  return Status::OK();
}

}  // namespace

void RegisterRestore(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<RestoreArgs>();
  auto* cmd = app.add_subcommand(
      "restore",
      "Put a snapshot back as the DB file at --to. Refuses while a process holds the file's\n"
      "lock (exit 4) and to replace an existing file without --force (exit 2). The snapshot\n"
      "passes every verify check before anything is replaced; the old file is kept as\n"
      "PATH.pre-restore-<time>. Exit 3 if the snapshot is damaged.");
  cmd->add_option("SNAPSHOT", a->which, "A snapshot id, or latest")->required();
  cmd->add_option("--to", a->to, "The DB file to write (e.g. /ziti-controller/ctrl-ha.db)")
      ->required();
  cmd->add_flag("--force", a->force, "Replace an existing file (kept as .pre-restore-<time>)");
  cmd->add_option("--target", a->targets, "Space-separated target URLs")
      ->envname("ZITI_CTRL_BACKUP_TARGETS");
  cmd->callback([&ctx, a] { ctx.result = RunRestore(ctx, *a); });
}

}  // namespace zb::cli
