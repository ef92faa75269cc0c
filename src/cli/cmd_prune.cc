// `ziti-backup prune`: apply the retention policy now. --dry-run prints
// every decision and its reasons and removes nothing.
#include <nlohmann/json.hpp>
#include <ostream>

#include "app/prune_job.h"
#include "cli/command.h"
#include "cli/damaged.h"
#include "cli/retention_flags.h"
#include "cli/targets.h"

namespace zb::cli {
namespace {

struct PruneArgs {
  std::string targets;
  RetentionArgs retention;
  bool dry_run = false;
  bool json = false;
  std::string log_format = "text";
};

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Status RunPrune(CommandContext& ctx, const PruneArgs& a) {
  ZB_ASSIGN_OR_RETURN(retention::Policy policy, ParseRetention(a.retention));
  ZB_ASSIGN_OR_RETURN(Zone zone, ParseZone(a.retention));
  auto format = app::ParseLogFormat(a.log_format);
  if (!format.ok()) {
    return BadValue("--log-format", "ZITI_CTRL_BACKUP_LOG_FORMAT", a.log_format,
                    "use text or json");
  }
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(ctx, a.targets, store::MissingDir::kFail));
  ZB_RETURN_IF_ERROR(CheckObjectLocks(t.all));
  app::Log log(ctx.err, *format, ctx.clock);
  nlohmann::json all = nlohmann::json::array();
  for (store::Backend* b : t.all) {
    // Never prune under a running backup (exit 4 names the target).
    ZB_ASSIGN_OR_RETURN(auto lock, b->TryLock());
    repo::Repository repo(*b);
    const retention::Policy& own = t.PolicyOf(b, policy);
    ZB_ASSIGN_OR_RETURN(app::PruneReport r,
                        app::PruneTarget(repo, own, zone, ctx.clock.Now(),
                                         /*exclusive=*/lock != nullptr, a.dry_run, &log));
    if (a.json) {
      nlohmann::json j{{"target", r.target}, {"dry_run", a.dry_run}};
      j["snapshots"] = nlohmann::json::array();
      for (const auto& d : r.decisions) {
        nlohmann::json s{{"id", d.id},
                         {"created", FormatRfc3339(d.created)},
                         {"keep", d.keep},
                         {"reasons", d.reasons}};
        if (auto until = r.LockedUntil(d.id)) s["locked_until"] = FormatRfc3339(*until);
        j["snapshots"].push_back(std::move(s));
      }
      j["orphans"] = nlohmann::json::array();
      for (const auto& o : r.orphans) j["orphans"].push_back(o.name);
      j["locked_objects"] = nlohmann::json::array();
      for (const auto& l : r.locked_objects) {
        j["locked_objects"].push_back(
            {{"object", l.name}, {"locked_until", FormatRfc3339(l.until)}});
      }
      j["damaged"] = DamagedJson(r.damaged);
      j["temporaries_removed"] = r.temporaries;
      all.push_back(std::move(j));
      continue;
    }
    ctx.out << r.target << ": policy " << own.ToString() << " (" << zone.name() << ")"
            << (a.dry_run ? ", dry run: nothing removed" : "") << "\n";
    for (const auto& d : r.decisions) {
      const auto until = r.LockedUntil(d.id);
      ctx.out << (d.keep ? "keep   " : until ? "locked " : "remove ") << d.id;
      if (d.keep) ctx.out << "  (" << Joined(d.reasons) << ")";
      if (until) {
        ctx.out << "  (the policy drops it; its Object Lock holds it until "
                << FormatRfc3339(*until) << ")";
      }
      ctx.out << "\n";
    }
    for (const auto& l : r.locked_objects) {
      ctx.out << "locked " << l.name
              << "  (no kept snapshot needs it; its Object Lock holds it until "
              << FormatRfc3339(l.until) << ")\n";
    }
    for (const auto& o : r.orphans) {
      auto name = repo::ParseObjectName(o.name);
      const bool chain = name.ok() && name->kind != repo::ObjectKind::kData;
      ctx.out << "remove " << o.name
              << (chain ? "  (part of an incremental chain that no kept snapshot needs)\n"
                        : "  (data without a manifest: left by an interrupted run)\n");
    }
    for (const auto& d : r.damaged)
      ctx.out << "keep   " << d.id << "  (" << DamagedReason(d) << ")\n";
    ctx.out << r.target << ": " << r.decisions.size() - r.removed() << " kept, " << r.removed()
            << (a.dry_run ? " to remove" : " removed");
    size_t damaged = 0, newer = 0;
    for (const auto& d : r.damaged) ++(d.newer_format ? newer : damaged);
    if (damaged > 0) ctx.out << ", " << damaged << " damaged (kept)";
    if (newer > 0) ctx.out << ", " << newer << " of a newer ziti-backup (kept)";
    if (!r.locked_snapshots.empty()) {
      ctx.out << ", " << r.locked_snapshots.size() << " locked (kept until their lock ends)";
    }
    ctx.out << "\n";
  }
  if (a.json) ctx.out << all.dump() << "\n";
  return Status::OK();
}

}  // namespace

void RegisterPrune(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<PruneArgs>();
  auto* cmd = app.add_subcommand(
      "prune",
      "Apply the retention policy now (restic forget semantics): every snapshot with keep or\n"
      "remove and the rules that kept it. Also removes what interrupted runs left (data\n"
      "objects without a manifest, temp files) and the bases and packs of incremental\n"
      "snapshots that no kept snapshot needs: at once under the target's lock, else once\n"
      "they are a day old. --dry-run removes nothing. On a target with object-lock=,\n"
      "what the store would refuse to delete yet stays, reported with the date its lock\n"
      "ends, and goes on a later run.");
  cmd->add_option("--target", a->targets, "Space-separated target URLs")
      ->envname("ZITI_CTRL_BACKUP_TARGETS");
  AddRetentionFlags(cmd, a->retention);
  cmd->add_flag("--dry-run", a->dry_run, "Print the decisions, remove nothing");
  cmd->add_flag("--json", a->json, "One JSON array, an object per target");
  cmd->add_option("--log-format", a->log_format, "Events on stderr as text or json")
      ->envname("ZITI_CTRL_BACKUP_LOG_FORMAT");
  cmd->callback([&ctx, a] { ctx.result = RunPrune(ctx, *a); });
}

}  // namespace zb::cli
