// `ziti-backup list`: the snapshots in each target, oldest first, and what
// is there that is not a snapshot (damaged manifests, orphaned data).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/damaged.h"
#include "cli/targets.h"
#include "repo/repository.h"

namespace zb::cli {
namespace {

struct ListArgs {
  std::string targets;
  bool json = false;
};

// "full", "base", or "incr(N)": the Nth pack of its chain.
std::string KindColumn(const repo::Manifest& m) {
  if (m.kind != repo::SnapshotKind::kIncremental) return std::string(repo::KindName(m.kind));
  return "incr(" + std::to_string(m.objects.size() - 1) + ")";
}

nlohmann::json SnapshotJson(const repo::Manifest& m) {
  nlohmann::json objects = nlohmann::json::array();
  for (const repo::StoredObject& o : m.objects) {
    objects.push_back({{"name", o.name}, {"stored_size", o.stored_size}});
  }
  return {{"id", m.id},
          {"kind", repo::KindName(m.kind)},
          {"parent", m.parent.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.parent)},
          {"objects", std::move(objects)},
          {"sequence", m.sequence},
          {"created", FormatRfc3339(m.created)},
          {"txid", m.txid},
          {"raft_index", m.ziti && m.ziti->raft_index ? nlohmann::json(*m.ziti->raft_index)
                                                      : nlohmann::json(nullptr)},
          {"plain_size", m.plain_size},
          {"stored_size", m.stored_size},
          {"compression", m.compression},
          {"encrypted", !m.recipients.empty()},
          {"method", m.method},
          {"attempts", m.attempts},
          {"data_object", m.data_object}};
}

// The lock of each snapshot's manifest (written last, so locked last), in
// listing order; empty on a target without Object Lock.
Result<std::vector<store::LockState>> LocksOf(store::Backend& b, const repo::Listing& l) {
  std::vector<store::LockState> out;
  if (b.locks() == nullptr) return out;
  for (const auto& s : l.snapshots) {
    ZB_ASSIGN_OR_RETURN(store::LockState state, b.locks()->State(s.manifest.id + ".json"));
    out.push_back(std::move(state));
  }
  return out;
}

nlohmann::json LockJson(const store::LockState& s) {
  nlohmann::json j{{"hidden", s.hidden}};
  if (s.until) {
    j["mode"] = s.mode;
    j["until"] = FormatRfc3339(*s.until);
    j["locked"] = s.locked();
  } else {
    j["locked"] = false;
  }
  return j;
}

Status RunList(CommandContext& ctx, const ListArgs& a) {
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(ctx, a.targets, store::MissingDir::kFail));
  nlohmann::json all = nlohmann::json::array();
  bool damaged = false;
  for (store::Backend* b : t.all) {
    repo::Repository repo(*b);
    ZB_ASSIGN_OR_RETURN(repo::Listing l, repo.List());
    damaged = damaged || l.DamagedCount() > 0;
    ZB_ASSIGN_OR_RETURN(const std::vector<store::LockState> locks, LocksOf(*b, l));
    if (a.json) {
      nlohmann::json j{{"target", b->Describe()}, {"snapshots", nlohmann::json::array()}};
      j["object_lock"] = b->locks() ? nlohmann::json(b->locks()->policy().ToString()) : nullptr;
      for (size_t i = 0; i < l.snapshots.size(); ++i) {
        nlohmann::json s = SnapshotJson(l.snapshots[i].manifest);
        s["lock"] = locks.empty() ? nlohmann::json(nullptr) : LockJson(locks[i]);
        j["snapshots"].push_back(std::move(s));
      }
      j["damaged"] = DamagedJson(l.damaged);
      j["orphans"] = nlohmann::json::array();
      for (const auto& o : l.orphans) j["orphans"].push_back(o.name);
      j["other_objects"] = nlohmann::json::array();
      for (const auto& o : l.foreign) j["other_objects"].push_back(o.name);
      all.push_back(std::move(j));
      continue;
    }
    ctx.out << b->Describe() << ": " << l.snapshots.size() << " snapshots\n";
    // A target with Object Lock has one more column, LOCKED UNTIL.
    const bool locked = !locks.empty();
    const char* kind_format = locked ? "%-8s " : "%s";
    char line[512];
    auto row = [&](std::string kind, const char* numbers_format, auto... fields) {
      const std::string f =
          std::string("%-36s %-20s ") + numbers_format + " %-5s %-4s %-6s " + kind_format;
      std::snprintf(line, sizeof line, f.c_str(), fields..., kind.c_str());
      return std::string(line);
    };
    if (!l.snapshots.empty()) {
      ctx.out << row("KIND", "%10s %10s %14s %14s", "ID", "CREATED", "TXID", "RAFT", "PLAIN",
                     "STORED", "COMP", "ENC", "METHOD")
              << (locked ? "LOCKED UNTIL" : "") << "\n";
    }
    size_t hidden = 0;
    for (size_t i = 0; i < l.snapshots.size(); ++i) {
      const repo::Manifest& m = l.snapshots[i].manifest;
      const std::string raft =
          m.ziti && m.ziti->raft_index ? std::to_string(*m.ziti->raft_index) : "-";
      ctx.out << row(KindColumn(m), "%10llu %10s %14llu %14llu", m.id.c_str(),
                     FormatRfc3339(m.created).c_str(), static_cast<unsigned long long>(m.txid),
                     raft.c_str(), static_cast<unsigned long long>(m.plain_size),
                     static_cast<unsigned long long>(m.stored_size), m.compression.c_str(),
                     m.recipients.empty() ? "no" : "age", m.method.c_str());
      if (locked) {
        const store::LockState& lock = locks[i];
        hidden += lock.hidden;
        ctx.out << (lock.locked() ? FormatRfc3339(*lock.until)
                    : lock.until  ? "expired"
                                  : "none")
                << (lock.hidden ? " (deleted)" : "");
      }
      ctx.out << "\n";
    }
    if (hidden > 0) {
      ctx.out << hidden << " of these snapshots were deleted by someone without a version id "
              << "(marked \"deleted\"); their versions are still stored and restore as usual\n";
    }
    for (const auto& d : l.damaged) ctx.out << d.id << "  " << DamagedReason(d) << "\n";
    if (!l.orphans.empty()) {
      ctx.out << l.orphans.size() << " objects without a manifest (not snapshots):";
      for (const auto& o : l.orphans) ctx.out << " " << o.name;
      ctx.out << "\n";
    }
    if (!l.foreign.empty()) {
      ctx.out << l.foreign.size() << " other objects (not ziti-backup's, never touched):";
      for (const auto& o : l.foreign) ctx.out << " " << o.name;
      ctx.out << "\n";
    }
  }
  if (a.json) ctx.out << all.dump() << "\n";
  if (damaged) return Status::Corruption("some snapshots are damaged (listed above)");
  return Status::OK();
}

}  // namespace

void RegisterList(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<ListArgs>();
  auto* cmd = app.add_subcommand(
      "list",
      "The snapshots in each target, oldest first: id, creation time, txid, raft index,\n"
      "plain and stored size, compression, encryption, method and kind (full, base, or\n"
      "incr(N): the Nth increment over its base; STORED is what that snapshot added),\n"
      "in the order they were made. Objects no snapshot needs are named separately.\n"
      "A snapshot whose manifest cannot be read is listed as damaged (its objects are\n"
      "kept; exit 3); one written by a newer ziti-backup is named and never touched.\n"
      "On a target with object-lock= each snapshot's lock follows it (--json: \"lock\"),\n"
      "and so does a deletion someone made without a version id (a delete marker).");
  cmd->add_option("--target", a->targets, "Space-separated target URLs")
      ->envname("ZITI_CTRL_BACKUP_TARGETS");
  cmd->add_flag("--json", a->json, "One JSON array, an object per target");
  cmd->callback([&ctx, a] { ctx.result = RunList(ctx, *a); });
}

}  // namespace zb::cli
