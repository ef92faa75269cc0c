// StoppableEnv: an Env over another whose work stops once `stop` is
// requested. From then on every step that makes or moves data (open,
// create, read, write, copy, fsync, rename, run) fails with kAborted, while
// the steps a failed run uses to clean up after itself (remove, stat, list,
// close) still work. A backup handed one unwinds through the same paths as
// an I/O error at that step, which FaultEnv's tests cover, so an interrupted
// run leaves what a failed one leaves: no temp file, nothing half-visible.
// How `backup` and the daemon stop a running backup on SIGTERM. Thread-safe.
#pragma once

#include <memory>
#include <stop_token>
#include <string>

#include "env/env_wrapper.h"

namespace zb {

class StoppableEnv final : public EnvWrapper {
 public:
  StoppableEnv(Env& base, std::stop_token stop) : EnvWrapper(base), stop_(std::move(stop)) {}

  // kAborted once stop was requested, naming what was interrupted.
  Status Check(const std::string& what) const;

  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> Create(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> CreateUnnamed(const std::string& for_path) override;
  Status Link(const std::string& from, const std::string& to) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& dir) override;
  Status CreateDir(const std::string& dir) override;
  Result<std::string> CreateTempDir(const std::string& parent, const std::string& prefix) override;
  Result<std::unique_ptr<FileLock>> TryLock(const std::string& path, LockMode mode) override;
  Result<uint64_t> CopyRange(RandomAccessFile& src, uint64_t src_off, WritableFile& dst,
                             uint64_t dst_off, uint64_t len) override;
  Result<ProcessResult> RunProcess(const ProcessSpec& spec) override;

 private:
  std::stop_token stop_;
};

}  // namespace zb
