#include "cli/verify_file.h"

#include "bolt/file.h"
#include "bolt/freelist.h"

namespace zb::cli {

snapshot::Verifier MakeSnapshotVerifier(Env& env) {
  return [&env](const std::string& path, const bolt::Meta& expected) -> Status {
    ZB_ASSIGN_OR_RETURN(auto file, env.OpenForRead(path));
    ZB_ASSIGN_OR_RETURN(bolt::BoltFile bolt, bolt::BoltFile::Open(*file));
    ZB_ASSIGN_OR_RETURN(bolt::MetaChoice latest, bolt.ReadLatestMeta());
    if (latest.meta.txid != expected.txid) {
      return Status::Corruption("latest meta has txid " + std::to_string(latest.meta.txid) +
                                ", expected " + std::to_string(expected.txid));
    }
    // TODO(check): run bolt::Check once it lands; until then metas + freelist.
    auto free_pages = bolt::ReadFreelist(bolt, latest.meta);
    return free_pages.status();
  };
}

}  // namespace zb::cli
