// LiveWriter: the Go peer's `boltgen writer` as the stand-in for a running
// controller, committing small transactions to a DB at a set rate and
// logging "<txid> <digest>" per commit. And a way to run ziti-backup against
// it that holds on a loaded machine: every `snapshot.retry` the run logs
// halves the writer's rate (SIGUSR1), and the full rate comes back when the
// snapshot is taken (SIGUSR2). A hot copy descheduled for longer than the
// writer's commit interval misses a commit and retries; without pacing, a
// busy 2-core machine could make every attempt fail. Tests then assert
// what a snapshot holds, never how fast the machine is.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "testutil/run.h"

namespace zb::testing {

class LiveWriter {
 public:
  // Starts the writer on `db` (log, ready file and output under `dir`) and
  // waits until it has opened the DB; `extra` goes to `boltgen writer`.
  LiveWriter(const std::string& dir, const std::string& db, int rate,
             std::vector<std::string> extra = {});
  bool ready() const { return ready_; }
  void SlowDown();  // half the rate, down to 1 commit/s
  void FullRate();
  int Stop();  // SIGTERM; the exit code (0: clean)
  std::string Stderr() const { return proc_->Stderr(); }
  const std::string& log() const { return log_; }
  // The txid of the last commit logged (0 if none yet).
  unsigned long long LastTxid() const;
  // Every commit logged: txid -> the DB's content digest after it.
  std::map<unsigned long long, std::string> Digests() const;
  // Waits (up to minutes) until the writer has committed after `txid`.
  bool WaitForCommitAfter(unsigned long long txid) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_, log_;
  bool ready_ = false;
  std::unique_ptr<BackgroundProcess> proc_;
};

// Watches a file a ziti-backup process logs to (its stderr) from a thread:
// each new `snapshot.retry` line slows `writer` down, each `snapshot.ok`
// after retries brings back its full rate, as does the end of the watch.
class WriterPacer {
 public:
  WriterPacer(LiveWriter& writer, std::string log_path);
  ~WriterPacer();
  WriterPacer(const WriterPacer&) = delete;
  WriterPacer& operator=(const WriterPacer&) = delete;

 private:
  void Check();
  LiveWriter& writer_;
  const std::string path_;
  size_t retries_ = 0, oks_ = 0;
  bool slowed_ = false;
  std::jthread thread_;
};

// Runs ziti-backup with `args` to completion against `writer`, paced as
// above. Output is the run's stdout and stderr.
RunResult RunZbPaced(LiveWriter& writer, const std::vector<std::string>& args);

// The `snapshot.retry` lines in a log, in order.
std::vector<std::string> RetryLines(const std::string& log);

}  // namespace zb::testing
