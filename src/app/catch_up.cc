#include "app/catch_up.h"

#include <map>
#include <optional>
#include <set>

#include "app/copy_snapshot.h"
#include "retention/decide.h"

namespace zb::app {

std::vector<int> CatchUp(const std::vector<CatchUpTarget>& targets, const Zone& zone, Log& log) {
  std::vector<int> copied(targets.size(), 0);
  if (targets.size() < 2) return copied;
  std::vector<std::optional<repo::Listing>> listings;
  for (const CatchUpTarget& t : targets) {
    auto l = t.repo->List();
    if (!l.ok()) {
      log.Event("catchup.fail",
                {{"target", t.repo->backend().Describe()}, {"error", l.status().ToString()}});
    }
    listings.push_back(l.ok() ? std::optional<repo::Listing>(std::move(*l)) : std::nullopt);
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!listings[i]) continue;
    std::set<std::string> have;
    std::vector<retention::SnapshotRef> refs;
    for (const auto& s : listings[i]->snapshots) {
      have.insert(s.manifest.id);
      refs.push_back({s.manifest.id, s.manifest.created, s.manifest.sequence});
    }
    for (const auto& d : listings[i]->damaged) have.insert(d.id);  // never overwritten
    // What the others hold that this one lacks, each from the first holder.
    std::map<std::string, std::pair<size_t, const repo::Manifest*>> missing;
    for (size_t j = 0; j < targets.size(); ++j) {
      if (j == i || !listings[j]) continue;
      for (const auto& s : listings[j]->snapshots) {
        if (have.count(s.manifest.id) != 0 || missing.count(s.manifest.id) != 0) continue;
        missing[s.manifest.id] = {j, &s.manifest};
        refs.push_back({s.manifest.id, s.manifest.created, s.manifest.sequence});
      }
    }
    if (missing.empty()) continue;
    const std::string to = targets[i].repo->backend().Describe();
    for (const retention::Decision& d : retention::Decide(refs, *targets[i].policy, zone)) {
      auto it = missing.find(d.id);
      if (!d.keep || it == missing.end()) continue;
      const auto& [from_index, manifest] = it->second;
      const std::string from = targets[from_index].repo->backend().Describe();
      auto bytes = CopySnapshot(*targets[from_index].repo, *targets[i].repo, *manifest);
      if (!bytes.ok()) {
        log.Event(
            "catchup.fail",
            {{"id", d.id}, {"from", from}, {"target", to}, {"error", bytes.status().ToString()}});
        if (bytes.status().code() == Code::kAborted) return copied;
        continue;
      }
      ++copied[i];
      log.Event(
          "catchup.copy",
          {{"id", d.id}, {"from", from}, {"target", to}, {"stored_bytes", std::to_string(*bytes)}});
    }
  }
  return copied;
}

}  // namespace zb::app
