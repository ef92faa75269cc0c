// `ziti-backup restore`: put a snapshot back as the live DB file. Refuses
// while a process holds the file's lock (exit 4) and to replace an existing
// file without --force (exit 2). The snapshot is restored through every
// check verify makes into an unnamed file beside PATH; only then does
// app::PutBack give it the old file's owner and mode, keep the old file as
// PATH.pre-restore-<time> and swap the new one in.
#include <ostream>

#include "app/put_back.h"
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

Status RunRestore(CommandContext& ctx, const RestoreArgs& a) {
  if (a.to.empty()) return Status::InvalidArgument("--to PATH is required");
  ZB_RETURN_IF_ERROR(CheckDestination(ctx.env, a.to));
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
    return a.which == "latest" ? Status::NotFound("no snapshots in the targets")
                               : NoSuchSnapshot(a.which, t);
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
  ZB_ASSIGN_OR_RETURN(auto restored, AtomicFile::Create(ctx.env, a.to));
  ZB_RETURN_IF_ERROR(app::RestoreInto(ctx.env, repo, *chosen, *restored));
  // The controller may have started while we fetched.
  ZB_RETURN_IF_ERROR(RefuseIfInUse(ctx.env, a.to));
  const std::string previous_name =
      a.to + ".pre-restore-" + repo::MakeSnapshotId("x", ctx.clock.Now()).ToString().substr(2);
  ZB_ASSIGN_OR_RETURN(app::PutBackResult put,
                      app::PutBack(ctx.env, *restored, a.to, previous_name));
  const std::string& previous = put.previous;
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
      "PATH.pre-restore-<time>, and the new one gets its owner, group and mode (or the\n"
      "directory's owner and 0600), so the controller's user can open it. Exit 3 if the\n"
      "snapshot is damaged.");
  cmd->add_option("SNAPSHOT", a->which, "A snapshot id, or latest")->required();
  cmd->add_option("--to", a->to, "The DB file to write (e.g. /ziti-controller/ctrl-ha.db)")
      ->required();
  cmd->add_flag("--force", a->force, "Replace an existing file (kept as .pre-restore-<time>)");
  cmd->add_option("--target", a->targets, "Space-separated target URLs")
      ->envname("ZITI_CTRL_BACKUP_TARGETS");
  cmd->callback([&ctx, a] { ctx.result = RunRestore(ctx, *a); });
}

}  // namespace zb::cli
