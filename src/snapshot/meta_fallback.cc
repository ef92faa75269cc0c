#include "snapshot/meta_fallback.h"

namespace zb::snapshot {

Result<std::optional<bolt::MetaFallback>> CheckMetaFallback(const std::string& path,
                                                            const bolt::MetaChoice& choice,
                                                            uint64_t file_pages) {
  auto f = bolt::DetectMetaFallback(choice, file_pages);
  if (f && f->initial_db) {
    return Status::Corruption(
        path + ": meta page " + std::to_string(f->damaged_slot) + " (txid " +
        std::to_string(f->damaged_txid) + ") is damaged (" + f->reason +
        ") and the other meta page holds txid " + std::to_string(f->used_txid) +
        ", the empty DB bbolt starts with, but the file (" + std::to_string(file_pages) +
        " pages) has commits; refusing to take an empty DB in place of the data (run "
        "'ziti-backup check " +
        path + "')");
  }
  return f;
}

std::string DescribeMetaFallback(const bolt::MetaFallback& f) {
  return "meta page " + std::to_string(f.damaged_slot) + " (txid " +
         std::to_string(f.damaged_txid) + ") is damaged (" + f.reason +
         "), so the snapshot holds txid " + std::to_string(f.used_txid);
}

}  // namespace zb::snapshot
