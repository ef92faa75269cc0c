// CommitTracker follows the commits of a bbolt file that a writer keeps
// changing, and accumulates every page that writer may have written since
// tracking began. It is what lets a hot copy take longer than the time
// between two commits.
//
// Why this is sound: bbolt is copy-on-write. The transaction after commit k
// only writes pages that are free in k's persisted freelist (which lists
// free and pending pages alike), pages at or above k's high-water mark, and
// one meta page. So if we read meta k and its freelist while k is still the
// latest commit, and do so for every k in turn, the union of those freelists
// plus everything above the lowest high-water mark covers every page written
// since tracking began. A missed commit (the txid jumps by more than one)
// breaks the chain; Poll() then fails and the caller starts over.
// Not thread-safe.
#pragma once

#include <vector>

#include "base/page_set.h"
#include "base/result.h"
#include "bolt/file.h"
#include "bolt/meta.h"

namespace zb::snapshot {

class CommitTracker {
 public:
  explicit CommitTracker(bolt::BoltFile& file) : file_(file) {}

  // Reads the latest meta and its freelist. Retryable kAborted if commits
  // keep landing between the two reads; kCorruption if the file is damaged.
  // REQUIRES: the meta names a persisted freelist (see persisted()).
  Status Start();
  // Catches up with commits made since the last call. Retryable kAborted if
  // one was missed.
  Status Poll();

  const bolt::Meta& latest() const { return latest_; }
  // Free pages of latest(), sorted.
  const std::vector<bolt::Pgid>& latest_free() const { return latest_free_; }
  // Pages below the lowest high-water mark seen that may have been written.
  const PageSet& maybe_written() const { return maybe_written_; }
  // Every page at or above this may have been written.
  bolt::Pgid written_floor() const { return floor_; }
  uint64_t commits_seen() const { return commits_seen_; }

 private:
  // Reads meta and freelist of the newest commit and checks that no commit
  // landed in between. Returns false (no error) if one did.
  Result<bool> ReadStable(bolt::Meta* meta, std::vector<bolt::Pgid>* free_pages);
  void Absorb(const bolt::Meta& meta, std::vector<bolt::Pgid> free_pages);

  bolt::BoltFile& file_;
  bolt::Meta latest_;
  std::vector<bolt::Pgid> latest_free_;
  PageSet maybe_written_;
  bolt::Pgid floor_ = 0;
  uint64_t commits_seen_ = 0;
};

}  // namespace zb::snapshot
