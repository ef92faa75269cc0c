// HotSource: a consistent copy of a bbolt file while its writer keeps
// committing, without asking the writer (spec §4 "hot").
//
// 1. Track commits (CommitTracker) from the latest meta A.
// 2. Copy pages [0, A.pgid) in small chunks, polling the tracker between them.
// 3. Catch-up rounds: with M the latest commit, re-copy every page that may
//    have been written since tracking began and is in use in M (not free in
//    M's freelist), then look at the meta again. If M is still the latest,
//    no page in use by M can have changed since it was copied (the writer
//    only writes pages free in M while M is the latest), so the output holds
//    transaction M exactly.
// Files without a persisted freelist cannot be tracked; for them the whole
// copy must fit between two commits (plain meta fencing).
// A missed commit or too many rounds fails the attempt; attempts are
// retried with exponential backoff on the Clock, a bounded number of times.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "env/clock.h"
#include "snapshot/source.h"

namespace zb::snapshot {

struct HotOptions {
  // A writer that commits in bursts (a controller applying a raft backlog)
  // defeats single attempts; many short attempts with capped backoff ride
  // it out, and the whole budget stays near 15 s.
  int max_attempts = 30;
  std::chrono::milliseconds first_backoff{20};
  std::chrono::milliseconds max_backoff{500};
  int max_rounds = 64;  // catch-up rounds per attempt
  // Bulk copy granularity: the tracker looks for commits after each chunk
  // (64 KiB copy in about 30 us from the page cache).
  uint64_t chunk_bytes = 64 << 10;
  // Told why an attempt failed before the next one starts (for the log).
  std::function<void(int attempt, const Status& why)> on_retry;
};

class HotSource final : public Source {
 public:
  HotSource(Env& env, Clock& clock, std::string db_path, HotOptions options = {})
      : env_(env), clock_(clock), db_path_(std::move(db_path)), options_(options) {}
  Result<Image> Take(WritableFile& out) override;

 private:
  Env& env_;
  Clock& clock_;
  std::string db_path_;
  HotOptions options_;
};

}  // namespace zb::snapshot
