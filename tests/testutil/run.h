// Helpers for tests that drive real programs: ziti-backup itself and the Go
// bbolt peer (tests/boltgen). Paths come from the build (ZB_BIN, ZB_BOLTGEN).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace zb::testing {

struct RunResult {
  int exit_code = -1;    // -1 if killed by a signal or timed out
  std::string out;       // stdout
  std::string err;       // stderr
  long max_rss_kib = 0;  // RunZb: the command's peak resident set size
};

// The ceiling every ziti-backup command must stay under, whatever the DB
// size or the input (measured on each RunZb in builds without sanitizers,
// whose shadow memory would dominate).
inline constexpr long kMaxRssKib = 64 * 1024;

// The last line of a command's stderr: its error, after any log events.
inline std::string LastLine(const std::string& err) {
  std::string s = err;
  if (!s.empty() && s.back() == '\n') s.pop_back();
  const size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

// The value of `key=VALUE` in a log or summary line ("" if absent).
std::string Field(const std::string& out, const std::string& key);

// Runs argv (no shell) to completion with a timeout; stdin is /dev/null.
RunResult Run(const std::vector<std::string>& argv,
              std::chrono::seconds timeout = std::chrono::seconds(300));

// ziti-backup and boltgen with arguments. RunZb also fails the test when
// the command's peak RSS passes kMaxRssKib.
RunResult RunZb(const std::vector<std::string>& args);
RunResult RunBoltgen(const std::vector<std::string>& args);
std::string ZbPath();
std::string BoltgenPath();

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object is destroyed unless ZB_KEEP_TEMP is set.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A program running in the background (the live bbolt writer). Its stdout
// and stderr go to files in `log_dir`. Stop() sends SIGTERM and waits.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& log_prefix);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  // SIGTERM, then waits up to `timeout` (then SIGKILL). Returns the exit code
  // (-1 if killed by a signal). Idempotent.
  int Stop(std::chrono::seconds timeout = std::chrono::seconds(30));
  bool Running();
  void Signal(int sig);
  int pid() const { return pid_; }
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  int pid_ = -1;
  int exit_code_ = -1;
  std::string out_path_, err_path_;
};

// Polls `done` every 20 ms for up to `timeout`; returns its last answer.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// Polls for `path` to exist for up to `timeout`; returns whether it does.
bool WaitForFile(const std::string& path, std::chrono::seconds timeout);
// Whether some process holds a flock(2) lock on `path` (from /proc/locks,
// without touching the lock): how a test knows another process has taken
// it, which the lock file's existence does not tell.
bool FlockHeld(const std::string& path);
// Names in a directory (not . or ..), sorted.
std::vector<std::string> ListDir(const std::string& dir);
// `args` and a retention that keeps the `n` newest snapshots, none by period.
std::vector<std::string> KeepingLast(std::vector<std::string> args, int n);
// The names in `dir` that only a run in progress has: dot files (temp
// files, staged snapshots), but for the target's lock file.
std::vector<std::string> RunLeftovers(const std::string& dir);

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& data);

// Parsed output of `boltgen check`: txid, digest, Check errors, exit code.
struct PeerCheck {
  int exit_code = -1;
  unsigned long long txid = 0;
  std::string digest;
  std::vector<std::string> errors;
  std::string raw;
};
PeerCheck PeerCheckFile(const std::string& db);

}  // namespace zb::testing
