#include "app/snapshot_verifier.h"

#include "bolt/check.h"

namespace zb::app {

snapshot::Verifier SnapshotVerifier(Env& env, std::optional<bolt::ZitiSummary>* ziti) {
  return [&env, ziti](const std::string& path, const bolt::Meta& expected) -> Status {
    ZB_ASSIGN_OR_RETURN(auto file, env.OpenForRead(path));
    bolt::ZitiCollector collector;
    ZB_ASSIGN_OR_RETURN(bolt::CheckReport r,
                        bolt::Check(*file, ziti != nullptr ? &collector : nullptr));
    if (!r.clean()) {
      std::string first = r.findings.empty() ? "" : r.findings.front().ToString();
      return Status::Corruption(std::to_string(r.finding_count) + " findings, the first: " + first);
    }
    if (r.meta->txid != expected.txid) {
      return Status::Corruption("latest meta has txid " + std::to_string(r.meta->txid) +
                                ", expected " + std::to_string(expected.txid));
    }
    if (ziti != nullptr) *ziti = collector.summary();
    return Status::OK();
  };
}

}  // namespace zb::app
