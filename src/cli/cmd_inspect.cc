// `ziti-backup inspect`: statistics of a bbolt file, and the OpenZiti view
// (raft index, cluster id, entity counts) when it is a controller DB.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "bolt/check.h"
#include "bolt/stats.h"
#include "bolt/tee_visitor.h"
#include "bolt/ziti_summary.h"
#include "cli/command.h"

namespace zb::cli {
namespace {

// The walk holds at most 1024 pages on its stack (bolt/walk.h), so no
// bucket is deeper than that.
constexpr int kMaxDepth = 1024;

struct InspectArgs {
  std::string db;
  bool json = false;
  int depth = 2;
};

std::string Bytes(uint64_t n) {
  char buf[32];
  if (n < 1024) return std::to_string(n) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = n;
  int u = -1;
  while (v >= 1024 && u < 3) v /= 1024, ++u;
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

// One JSON object. The buckets are written one at a time, each with its
// path, so memory stays at one bucket's (the output itself holds every
// path in full).
void PrintJson(std::ostream& out, const std::string& path, const bolt::CheckReport& r,
               const bolt::DbStats& stats, const std::optional<bolt::ZitiSummary>& ziti) {
  nlohmann::json j;
  j["path"] = path;
  j["file_size"] = r.file_size;
  j["page_size"] = r.page_size;
  j["txid"] = r.meta->txid;
  j["meta_page"] = r.meta_slot;
  j["high_water"] = r.meta->pgid;
  j["freelist_persisted"] = r.freelist_persisted;
  j["pages"] = {{"in_use", r.reachable_pages},
                {"free", r.free_pages},
                {"pending", r.pending_pages},
                {"unreachable", r.unreachable_pages}};
  j["keys"] = stats.keys;
  j["buckets_total"] = stats.buckets_total;
  j["max_bucket_depth"] = stats.max_bucket_depth;
  j["findings"] = r.finding_count;
  if (ziti) {
    j["ziti"] = {{"raft_index",
                  ziti->raft_index ? nlohmann::json(*ziti->raft_index) : nlohmann::json(nullptr)},
                 {"cluster_id",
                  ziti->cluster_id ? nlohmann::json(*ziti->cluster_id) : nlohmann::json(nullptr)},
                 {"entities", ziti->entities}};
  } else {
    j["ziti"] = nullptr;
  }
  // "buckets" sorts first among the keys, as nlohmann orders them.
  out << "{\"buckets\":[";
  bool first = true;
  bolt::ForEachPath(stats, [&](const bolt::BucketStats& b, const bolt::BucketPath& p) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& c : p) names.push_back(bolt::PrintableName(c));
    out << (first ? "" : ",")
        << nlohmann::json{{"path", names},
                          {"depth", b.depth},
                          {"inline", b.is_inline},
                          {"keys", b.keys},
                          {"sub_buckets", b.sub_buckets},
                          {"tree_depth", b.tree_depth},
                          {"branch_pages", b.branch_pages},
                          {"leaf_pages", b.leaf_pages},
                          {"overflow_pages", b.overflow_pages},
                          {"bytes", b.bytes},
                          {"total_keys", b.total_keys},
                          {"total_buckets", b.total_buckets},
                          {"total_bytes", b.total_bytes}}
               .dump();
    first = false;
  });
  out << "]," << j.dump().substr(1) << "\n";
}

void PrintText(std::ostream& out, const std::string& path, const bolt::CheckReport& r,
               const bolt::DbStats& stats, const std::optional<bolt::ZitiSummary>& ziti,
               int depth) {
  char line[512];
  out << "file         " << path << " (" << r.file_size << " bytes, " << Bytes(r.file_size)
      << ")\n";
  out << "page size    " << r.page_size << "\n";
  out << "txid         " << r.meta->txid << " (meta page " << r.meta_slot << ")\n";
  out << "high water   " << r.meta->pgid << " pages\n";
  out << "pages        " << r.reachable_pages << " in use, " << r.free_pages << " free ("
      << r.pending_pages << " pending)"
      << (r.freelist_persisted ? "" : ", freelist not persisted (NoFreelistSync)") << ", "
      << r.unreachable_pages << " unreachable\n";
  out << "keys         " << stats.keys << " in " << stats.buckets_total << " buckets (nested up to "
      << stats.max_bucket_depth << " deep)\n";
  if (ziti) {
    out << "\nOpenZiti controller\n";
    out << "  raft index  " << (ziti->raft_index ? std::to_string(*ziti->raft_index) : "-") << "\n";
    out << "  cluster id  " << (ziti->cluster_id ? *ziti->cluster_id : "-") << "\n";
    for (const char* name : bolt::kZitiHeadlineEntities) {
      auto it = ziti->entities.find(name);
      std::snprintf(line, sizeof line, "  %-20s %llu\n", name,
                    static_cast<unsigned long long>(it == ziti->entities.end() ? 0 : it->second));
      out << line;
    }
  }
  out << "\nbuckets"
      << (depth > 0 ? " to depth " + std::to_string(depth) + " (--depth 0: all)" : "")
      << "; ALL = the bucket and everything in it\n";
  std::snprintf(line, sizeof line, "%-36s %10s %8s %5s %8s %10s %10s %10s %10s\n", "BUCKET", "KEYS",
                "BUCKETS", "TREE", "PAGES", "BYTES", "ALL KEYS", "ALL BKTS", "ALL BYTES");
  out << line;
  for (const auto& b : stats.buckets) {
    std::string name = std::string(2 * (b.depth - 1), ' ') + bolt::PrintableName(b.name);
    if (b.is_inline) name += " (inline)";
    std::snprintf(line, sizeof line, "%-36s %10llu %8llu %5d %8llu %10s %10llu %10llu %10s\n",
                  name.c_str(), static_cast<unsigned long long>(b.keys),
                  static_cast<unsigned long long>(b.sub_buckets), b.tree_depth,
                  static_cast<unsigned long long>(b.branch_pages + b.leaf_pages + b.overflow_pages),
                  Bytes(b.bytes).c_str(), static_cast<unsigned long long>(b.total_keys),
                  static_cast<unsigned long long>(b.total_buckets), Bytes(b.total_bytes).c_str());
    out << line;
  }
}

Status RunInspect(CommandContext& ctx, const InspectArgs& args) {
  if (args.depth < 0 || args.depth > kMaxDepth) {
    return Status::InvalidArgument("invalid --depth value \"" + std::to_string(args.depth) +
                                   "\": want 0 (all) to " + std::to_string(kMaxDepth));
  }
  ZB_ASSIGN_OR_RETURN(auto file, ctx.env.OpenForRead(args.db));
  bolt::StatsCollector stats(args.depth);
  bolt::ZitiCollector ziti;
  bolt::TeeVisitor both(stats, ziti);
  ZB_ASSIGN_OR_RETURN(bolt::CheckReport r, bolt::Check(*file, &both));
  if (!r.meta) {
    return Status::Corruption(args.db + ": not a bbolt file: " + r.findings.front().detail);
  }
  if (args.json) {
    PrintJson(ctx.out, args.db, r, stats.stats(), ziti.summary());
  } else {
    PrintText(ctx.out, args.db, r, stats.stats(), ziti.summary(), args.depth);
  }
  if (!r.clean()) {
    // What check rejects, inspect does not pass either: the numbers above
    // are what the damaged file shows, not the DB's.
    return Status::Corruption(
        args.db + ": " + std::to_string(r.finding_count) +
        (r.finding_count == 1 ? " structural finding" : " structural findings") + " (txid " +
        std::to_string(r.meta->txid) + "); the numbers may be incomplete (run 'ziti-backup check " +
        args.db + "')");
  }
  return Status::OK();
}

}  // namespace

void RegisterInspect(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<InspectArgs>();
  auto* cmd = app.add_subcommand(
      "inspect",
      "Statistics of a bbolt file: page size, txid, pages in use / free / pending, the\n"
      "bucket tree with key counts, tree depth and bytes; for an OpenZiti controller DB\n"
      "also the raft index, cluster id and entity counts. Read-only. Exit 3 (after the\n"
      "numbers) when the file has structural findings, as `check` would report.");
  cmd->add_option("DB", args->db, "The bbolt file")->required();
  cmd->add_flag("--json", args->json, "One JSON object instead of the table");
  cmd->add_option("--depth", args->depth,
                  "Show buckets nested up to this depth; deeper ones are counted in their\n"
                  "ancestor's ALL columns. 0 shows every bucket")
      ->capture_default_str();
  cmd->callback([&ctx, args] { ctx.result = RunInspect(ctx, *args); });
}

}  // namespace zb::cli
