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
#include <cstdint>
#include <functional>
#include <string>

#include "env/clock.h"
#include "snapshot/source.h"

namespace zb::snapshot {

// What HotOptions::on_retry is told when an attempt failed and another
// follows: the writer's pressure, for operators to see before a snapshot
// gives up.
struct RetryInfo {
  int attempt = 0;  // the attempt that failed, from 1
  Status why;       // retryable kAborted: what the writer did to it
  // Commits since the previous look (the start of the snapshot or the
  // previous retry), counted by txid so missed commits count too, and per
  // second of that time (0 if no time passed).
  uint64_t commits = 0;
  double commits_per_second = 0;
  std::chrono::milliseconds backoff{0};  // the wait before the next attempt
};

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
  // Called before each retry (never for the last attempt); the caller logs it.
  std::function<void(const RetryInfo&)> on_retry;
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
