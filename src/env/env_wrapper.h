// EnvWrapper and WritableFileWrapper: an Env (a file) that forwards every
// call to another, so a wrapper that changes a few steps (StoppableEnv, the
// tests' FaultEnv) overrides only those (leveldb's EnvWrapper). The wrapped
// object must outlive the wrapper. Thread-safe as the wrapped one is.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "env/env.h"

namespace zb {

class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env& base) : base_(base) {}
  Env& base() const { return base_; }

  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override {
    return base_.OpenForRead(path);
  }
  Result<std::unique_ptr<WritableFile>> Create(const std::string& path) override {
    return base_.Create(path);
  }
  Result<std::unique_ptr<WritableFile>> CreateUnnamed(const std::string& for_path) override {
    return base_.CreateUnnamed(for_path);
  }
  Status Link(const std::string& from, const std::string& to) override {
    return base_.Link(from, to);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    return base_.Rename(from, to);
  }
  Status Remove(const std::string& path) override { return base_.Remove(path); }
  Status SyncDir(const std::string& dir) override { return base_.SyncDir(dir); }
  Status CreateDir(const std::string& dir) override { return base_.CreateDir(dir); }
  Result<std::string> CreateTempDir(const std::string& parent, const std::string& prefix) override {
    return base_.CreateTempDir(parent, prefix);
  }
  Status RemoveDir(const std::string& dir) override { return base_.RemoveDir(dir); }
  Result<FileInfo> Stat(const std::string& path) override { return base_.Stat(path); }
  Result<std::vector<FileInfo>> List(const std::string& dir) override { return base_.List(dir); }
  Result<std::unique_ptr<FileLock>> TryLock(const std::string& path, LockMode mode) override {
    return base_.TryLock(path, mode);
  }
  Result<uint64_t> CopyRange(RandomAccessFile& src, uint64_t src_off, WritableFile& dst,
                             uint64_t dst_off, uint64_t len) override {
    return base_.CopyRange(src, src_off, dst, dst_off, len);
  }
  Result<ProcessResult> RunProcess(const ProcessSpec& spec) override {
    return base_.RunProcess(spec);
  }
  void KillProcesses() override { base_.KillProcesses(); }
  int Pid() override { return base_.Pid(); }
  bool ProcessAlive(int pid) override { return base_.ProcessAlive(pid); }

 private:
  Env& base_;
};

class WritableFileWrapper : public WritableFile {
 public:
  explicit WritableFileWrapper(std::unique_ptr<WritableFile> base) : base_(std::move(base)) {}
  WritableFile& base() { return *base_; }

  Status WriteAt(uint64_t offset, ByteSpan data) override { return base_->WriteAt(offset, data); }
  Status Truncate(uint64_t size) override { return base_->Truncate(size); }
  Status Sync() override { return base_->Sync(); }
  Status SetOwner(uint32_t uid, uint32_t gid, uint32_t mode) override {
    return base_->SetOwner(uid, gid, mode);
  }
  Status Close() override { return base_->Close(); }
  const std::string& path() const override { return base_->path(); }

 private:
  std::unique_ptr<WritableFile> base_;
};

}  // namespace zb
