// MemFile and OneFileEnv: the fuzz targets' stand-ins for the disk. A
// MemFile is a RandomAccessFile over bytes the caller keeps alive (no copy,
// so a target's memory stays that of its input). OneFileEnv serves one such
// file at one path for reading and refuses every other call with an I/O
// error naming it, so code under test that writes, lists or locks sees a
// failure rather than touching the machine. Not thread-safe (targets are
// single-threaded per input).
#pragma once

#include <algorithm>
#include <cstring>
#include <string>

#include "env/env.h"

namespace zb::fuzz {

class MemFile final : public RandomAccessFile {
 public:
  MemFile(std::string path, ByteSpan data) : path_(std::move(path)), data_(data) {}
  Result<size_t> ReadAt(uint64_t offset, MutableByteSpan dst) override {
    if (offset >= data_.size()) return size_t{0};
    const size_t n = std::min<uint64_t>(dst.size(), data_.size() - offset);
    std::memcpy(dst.data(), data_.data() + offset, n);
    return n;
  }
  Result<uint64_t> Size() override { return uint64_t{data_.size()}; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  ByteSpan data_;
};

class OneFileEnv final : public Env {
 public:
  OneFileEnv(std::string path, ByteSpan data) : path_(std::move(path)), data_(data) {}

  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override {
    if (path != path_) return Status::NotFound(path + ": no such file (fuzz env)");
    return std::unique_ptr<RandomAccessFile>(new MemFile(path_, data_));
  }
  Result<FileInfo> Stat(const std::string& path) override {
    if (path != path_) return Status::NotFound(path + ": no such file (fuzz env)");
    return FileInfo{path_, data_.size(), false, 0600, TimePoint()};
  }
  Result<std::unique_ptr<WritableFile>> Create(const std::string& path) override {
    return Refuse("create", path);
  }
  Result<std::unique_ptr<WritableFile>> CreateUnnamed(const std::string& for_path) override {
    return Refuse("create unnamed", for_path);
  }
  Status Link(const std::string& from, const std::string& to) override {
    return Refuse("link", to);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    return Refuse("rename", to);
  }
  Status Remove(const std::string& path) override { return Refuse("remove", path); }
  Status SyncDir(const std::string& dir) override { return Refuse("fsync", dir); }
  Status CreateDir(const std::string& dir) override { return Refuse("mkdir", dir); }
  Result<std::string> CreateTempDir(const std::string& parent, const std::string& prefix) override {
    return Refuse("mkdtemp", parent);
  }
  Status RemoveDir(const std::string& dir) override { return Refuse("rmdir", dir); }
  Result<std::vector<FileInfo>> List(const std::string& dir) override {
    return Refuse("list", dir);
  }
  Result<std::unique_ptr<FileLock>> TryLock(const std::string& path, LockMode mode) override {
    return Refuse("lock", path);
  }
  Result<ProcessResult> RunProcess(const ProcessSpec& spec) override {
    return Refuse("run", "a process");
  }
  int Pid() override { return 1; }
  bool ProcessAlive(int pid) override { return false; }

 private:
  static Status Refuse(const char* what, const std::string& path) {
    return Status::IOError(std::string(what) + " " + path + ": refused by the fuzz env");
  }
  std::string path_;
  ByteSpan data_;
};

}  // namespace zb::fuzz
