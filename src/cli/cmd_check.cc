// `ziti-backup check`: the structural check of a bbolt file (bolt::Check).
// Exit 0 clean, 3 findings, 1 unreadable, 2 usage.
#include <nlohmann/json.hpp>
#include <ostream>

#include "bolt/check.h"
#include "cli/command.h"

namespace zb::cli {
namespace {

struct CheckArgs {
  std::string db;
  bool json = false;
};

nlohmann::json ToJson(const std::string& path, const bolt::CheckReport& r) {
  nlohmann::json j;
  j["path"] = path;
  j["ok"] = r.clean();
  j["file_size"] = r.file_size;
  j["page_size"] = r.page_size;
  j["txid"] = r.meta ? nlohmann::json(r.meta->txid) : nlohmann::json(nullptr);
  j["meta_page"] = r.meta ? nlohmann::json(r.meta_slot) : nlohmann::json(nullptr);
  j["high_water"] = r.meta ? nlohmann::json(r.meta->pgid) : nlohmann::json(nullptr);
  j["freelist_persisted"] = r.freelist_persisted;
  j["pages"] = {{"reachable", r.reachable_pages},
                {"free", r.free_pages},
                {"pending", r.pending_pages},
                {"unreachable", r.unreachable_pages}};
  j["finding_count"] = r.finding_count;
  auto& findings = j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings) {
    findings.push_back(
        {{"kind", bolt::FindingKindName(f.kind)}, {"page", f.page}, {"message", f.ToString()}});
  }
  return j;
}

Status RunCheck(CommandContext& ctx, const CheckArgs& args) {
  ZB_ASSIGN_OR_RETURN(auto file, ctx.env.OpenForRead(args.db));
  ZB_ASSIGN_OR_RETURN(bolt::CheckReport r, bolt::Check(*file));
  if (args.json) {
    ctx.out << ToJson(args.db, r).dump() << "\n";
  } else {
    for (const auto& f : r.findings) ctx.out << f.ToString() << "\n";
    if (r.finding_count > r.findings.size()) {
      ctx.out << "... and " << r.finding_count - r.findings.size() << " more findings\n";
    }
    if (r.clean()) {
      ctx.out << "check ok: " << args.db << ": txid " << r.meta->txid << ", " << r.meta->pgid
              << " pages (" << r.reachable_pages << " reachable, " << r.free_pages
              << " free), no findings\n";
    }
  }
  if (r.clean()) return Status::OK();
  return Status::Corruption(args.db + ": " + std::to_string(r.finding_count) +
                            (r.finding_count == 1 ? " finding" : " findings") +
                            (r.meta ? " (txid " + std::to_string(r.meta->txid) + ")" : ""));
}

}  // namespace

void RegisterCheck(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand(
      "check",
      "Structural check of a bbolt file, like bbolt's Tx.Check: both meta pages, the\n"
      "freelist, every page of the tree (type, id, bounds, single reference, key order)\n"
      "and that every page is reachable or free. Prints one line per finding, each\n"
      "naming its page. Exit 0 clean, 3 findings, 1 unreadable, 2 usage.\n"
      "Read-only; safe on a live DB, though a DB that is being written may show findings\n"
      "(check a snapshot instead).");
  cmd->add_option("DB", args->db, "The bbolt file")->required();
  cmd->add_flag("--json", args->json, "One JSON object with every finding and page counts");
  cmd->callback([&ctx, args] { ctx.result = RunCheck(ctx, *args); });
}

}  // namespace zb::cli
