// Helpers for tests that drive real programs: ziti-backup itself and the Go
// bbolt peer (tests/boltgen). Paths come from the build (ZB_BIN, ZB_BOLTGEN).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace zb::testing {

struct RunResult {
  int exit_code = -1;  // -1 if killed by a signal or timed out
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs argv (no shell) to completion with a timeout; stdin is /dev/null.
RunResult Run(const std::vector<std::string>& argv,
              std::chrono::seconds timeout = std::chrono::seconds(300));

// ziti-backup and boltgen with arguments.
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
