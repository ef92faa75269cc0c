#include "cli/verify_file.h"

#include "bolt/check.h"

namespace zb::cli {

snapshot::Verifier MakeSnapshotVerifier(Env& env) {
  return [&env](const std::string& path, const bolt::Meta& expected) -> Status {
    ZB_ASSIGN_OR_RETURN(auto file, env.OpenForRead(path));
    ZB_ASSIGN_OR_RETURN(bolt::CheckReport r, bolt::Check(*file));
    if (!r.clean()) {
      std::string first = r.findings.empty() ? "" : r.findings.front().ToString();
      return Status::Corruption(std::to_string(r.finding_count) + " findings, the first: " + first);
    }
    if (r.meta->txid != expected.txid) {
      return Status::Corruption("latest meta has txid " + std::to_string(r.meta->txid) +
                                ", expected " + std::to_string(expected.txid));
    }
    return Status::OK();
  };
}

}  // namespace zb::cli
