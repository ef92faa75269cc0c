#include "snapshot/commit_tracker.h"

#include <algorithm>

#include "bolt/freelist.h"

namespace zb::snapshot {
namespace {

Status Missed(std::string what) {
  return Status(Code::kAborted, std::move(what), /*retryable=*/true);
}

}  // namespace

Result<bool> CommitTracker::ReadStable(bolt::Meta* meta, std::vector<bolt::Pgid>* free_pages) {
  ZB_ASSIGN_OR_RETURN(bolt::MetaChoice before, file_.ReadLatestMeta());
  // Page sets grow to the high-water mark: it must be inside the file.
  ZB_RETURN_IF_ERROR(file_.CheckHighWater(before.meta));
  auto ids = bolt::ReadFreelist(file_, before.meta);
  ZB_ASSIGN_OR_RETURN(bolt::MetaChoice after, file_.ReadLatestMeta());
  if (!(after.meta == before.meta)) return false;  // raced a commit: the read may be torn
  if (!ids.ok()) return ids.status().WithContext(file_.file().path());
  *meta = before.meta;
  *free_pages = std::move(ids).value();
  return true;
}

void CommitTracker::Absorb(const bolt::Meta& meta, std::vector<bolt::Pgid> free_pages) {
  floor_ = std::min(floor_, meta.pgid);
  maybe_written_.Grow(meta.pgid);
  for (bolt::Pgid id : free_pages) maybe_written_.Insert(id);
  latest_ = meta;
  latest_free_ = std::move(free_pages);
}

Status CommitTracker::Start() {
  constexpr int kTries = 100;
  for (int i = 0; i < kTries; ++i) {
    bolt::Meta meta;
    std::vector<bolt::Pgid> free_pages;
    ZB_ASSIGN_OR_RETURN(bool stable, ReadStable(&meta, &free_pages));
    if (!stable) continue;
    if (meta.freelist == bolt::kNoFreelist) {
      return Status::InvalidArgument("commit tracking needs a persisted freelist");
    }
    maybe_written_ = PageSet(meta.pgid);
    floor_ = meta.pgid;
    commits_seen_ = 0;
    Absorb(meta, std::move(free_pages));
    return Status::OK();
  }
  return Missed("the writer committed between every read of the meta and its freelist (" +
                std::to_string(kTries) + " tries)");
}

Status CommitTracker::Poll() {
  while (true) {
    ZB_ASSIGN_OR_RETURN(bolt::MetaChoice now, file_.ReadLatestMeta());
    if (now.meta == latest_) return Status::OK();
    if (now.meta.txid != latest_.txid + 1) {
      return Missed("missed a commit: txid went from " + std::to_string(latest_.txid) + " to " +
                    std::to_string(now.meta.txid) + " between two looks");
    }
    bolt::Meta meta;
    std::vector<bolt::Pgid> free_pages;
    ZB_ASSIGN_OR_RETURN(bool stable, ReadStable(&meta, &free_pages));
    if (!stable || meta.txid != latest_.txid + 1) {
      return Missed("txid " + std::to_string(latest_.txid + 2) +
                    " was committed before the freelist of txid " +
                    std::to_string(latest_.txid + 1) + " could be read");
    }
    ++commits_seen_;
    Absorb(meta, std::move(free_pages));
  }
}

}  // namespace zb::snapshot
