// `ziti-backup copy`: brings one target up to date from another, snapshots
// as stored (a new region, a target that missed runs). Idempotent: what the
// destination already holds is skipped, so an interrupted copy is resumed
// by running it again.
#include <set>

#include "app/copy_snapshot.h"
#include "cli/command.h"
#include "cli/targets.h"
#include "repo/repository.h"

namespace zb::cli {
namespace {

struct CopyArgs {
  std::string from, to;
  std::vector<std::string> ids;
  bool all = false;
  bool missing = false;
};

Result<store::Backend*> One(const Targets& t, const char* flag) {
  if (t.all.size() != 1) {
    return Status::InvalidArgument(std::string(flag) + " takes exactly one target URL");
  }
  return t.all.front();
}

Status RunCopy(CommandContext& ctx, const CopyArgs& a) {
  if (static_cast<int>(!a.ids.empty()) + a.all + a.missing != 1) {
    return Status::InvalidArgument(
        "name the snapshots to copy: IDs, --all or --missing (one of them)");
  }
  if (a.from.empty() || a.to.empty()) {
    return Status::InvalidArgument("copy needs --from and --to");
  }
  ZB_ASSIGN_OR_RETURN(Targets from_t, OpenTargets(ctx, a.from, store::MissingDir::kFail));
  ZB_ASSIGN_OR_RETURN(Targets to_t, OpenTargets(ctx, a.to, store::MissingDir::kCreateLast));
  ZB_ASSIGN_OR_RETURN(store::Backend * source, One(from_t, "--from"));
  ZB_ASSIGN_OR_RETURN(store::Backend * dest, One(to_t, "--to"));
  ZB_RETURN_IF_ERROR(CheckObjectLocks({dest}));
  if (source->Describe() == dest->Describe()) {
    return Status::InvalidArgument("--from and --to are the same target: " + source->Describe());
  }
  repo::Repository from(*source), to(*dest);
  ZB_ASSIGN_OR_RETURN(repo::Listing have, from.List());

  std::vector<const repo::Manifest*> chosen;
  if (!a.ids.empty()) {
    for (const std::string& id : a.ids) {
      const repo::Manifest* found = nullptr;
      for (const auto& s : have.snapshots) {
        if (s.manifest.id == id) found = &s.manifest;
      }
      if (found == nullptr) return NoSuchSnapshot(id, from_t);
      chosen.push_back(found);
    }
  } else {
    for (const auto& s : have.snapshots) chosen.push_back(&s.manifest);  // oldest first
  }

  // One writer per target: a backup or prune there waits for us, or we for it.
  ZB_ASSIGN_OR_RETURN(auto lock, dest->TryLock());
  ZB_ASSIGN_OR_RETURN(repo::Listing there, to.List());
  std::map<std::string, const repo::Manifest*> present;
  for (const auto& s : there.snapshots) present[s.manifest.id] = &s.manifest;
  std::set<std::string> damaged_there;
  for (const auto& d : there.damaged) damaged_there.insert(d.id);

  int copied = 0, skipped = 0, failed = 0;
  Status first_error;
  for (const repo::Manifest* m : chosen) {
    auto it = present.find(m->id);
    Status s;
    if (damaged_there.count(m->id) != 0) {
      s = Status::Corruption(m->id + ": " + dest->Describe() +
                             " holds a damaged snapshot under this id; not overwritten");
    } else if (it != present.end()) {
      if (it->second->stored_sha256 == m->stored_sha256) {
        ++skipped;
        if (!a.missing)
          ctx.out << "copy skip: " << m->id << " already in " << dest->Describe() << "\n";
        continue;
      }
      s = Status::Corruption(m->id + ": " + dest->Describe() +
                             " holds a different snapshot under this id; not overwritten");
    } else {
      auto bytes = app::CopySnapshot(from, to, *m);
      s = bytes.status();
      if (s.ok()) {
        ++copied;
        ctx.out << "copy ok: " << m->id << " " << source->Describe() << " -> " << dest->Describe()
                << " stored_bytes=" << *bytes << "\n";
        continue;
      }
    }
    ++failed;
    ctx.err << "copy failed: " << s.ToString() << "\n";
    if (first_error.ok()) first_error = s;
    if (s.code() == Code::kAborted) break;  // stopped
  }
  ctx.out << "copy: " << copied << " copied, " << skipped << " already there, " << failed
          << " failed\n";
  return first_error;
}

}  // namespace

void RegisterCopy(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<CopyArgs>();
  auto* cmd = app.add_subcommand(
      "copy",
      "Copy snapshots from one target to another exactly as stored: no identity is needed\n"
      "for encrypted ones, nothing is recompressed. Each data object is checked against its\n"
      "manifest's size and SHA-256 on the way (one that does not match is never completed);\n"
      "the manifest is written last. What the destination already holds is skipped, so\n"
      "running it again resumes an interrupted copy. A snapshot the destination holds differently "
      "is never overwritten (exit 3).\n"
      "Examples:\n"
      "  ziti-backup copy --from file:///backups --to s3://dr-bucket/ziti --missing\n"
      "  ziti-backup copy --from s3://eu/ziti --to s3://us/ziti ctrl-ha-20260625T000436Z");
  cmd->add_option("--from", a->from, "The target to copy from (one URL)");
  cmd->add_option("--to", a->to, "The target to copy to (one URL)");
  cmd->add_option("ids", a->ids, "Snapshot ids to copy");
  cmd->add_flag("--all", a->all,
                "Every snapshot of --from (those already there are checked and skipped)");
  cmd->add_flag("--missing", a->missing, "The snapshots of --from that --to does not hold");
  cmd->callback([&ctx, a] { ctx.result = RunCopy(ctx, *a); });
}

}  // namespace zb::cli
