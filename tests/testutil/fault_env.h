// FaultEnv: an Env over another that fails the Nth mutating step under a
// path prefix: Create, CreateUnnamed, WriteAt, Truncate, Sync, Link, Rename,
// Remove, SyncDir (an unnamed file's steps count under the path it is for).
// The failure is an I/O error naming the step, as a full disk, a dying
// disk or a crash would surface (leveldb's fault_injection_test, rocksdb's
// FaultInjectionTestFS). Steps are counted from 1; `steps()` tells how many
// a run made, so a test can fail each one in turn. Thread-safe.
#pragma once

#include <atomic>
#include <string>

#include "env/env_wrapper.h"

namespace zb::testing {

class FaultEnv final : public EnvWrapper {
 public:
  // Fails step number `fail_at` (0: never) under `prefix`.
  FaultEnv(Env& base, std::string prefix, int fail_at)
      : EnvWrapper(base), prefix_(std::move(prefix)), fail_at_(fail_at) {}

  // Refuse CreateUnnamed, as a file system without O_TMPFILE does.
  void RefuseUnnamed() { refuse_unnamed_ = true; }

  int steps() const { return steps_; }
  bool fired() const { return fired_; }

  // Counts one step on `path`; an error if it is the one to fail.
  Status Step(const char* what, const std::string& path) {
    if (path.rfind(prefix_, 0) != 0) return Status::OK();
    if (++steps_ == fail_at_) {
      fired_ = true;
      return Status::IOError(std::string("injected fault: ") + what + " " + path);
    }
    return Status::OK();
  }

  Result<std::unique_ptr<WritableFile>> Create(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> CreateUnnamed(const std::string& for_path) override;
  Status Link(const std::string& from, const std::string& to) override {
    ZB_RETURN_IF_ERROR(Step("link", to));
    return base().Link(from, to);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    ZB_RETURN_IF_ERROR(Step("rename", to));
    return base().Rename(from, to);
  }
  Status Remove(const std::string& path) override {
    ZB_RETURN_IF_ERROR(Step("remove", path));
    return base().Remove(path);
  }
  Status SyncDir(const std::string& dir) override {
    ZB_RETURN_IF_ERROR(Step("fsync directory", dir + "/"));
    return base().SyncDir(dir);
  }

 private:
  const std::string prefix_;
  const int fail_at_;
  std::atomic<int> steps_{0};
  std::atomic<bool> fired_{false};
  bool refuse_unnamed_ = false;
};

class FaultWritableFile final : public WritableFileWrapper {
 public:
  // `name`: the path its steps count under.
  FaultWritableFile(FaultEnv& env, std::unique_ptr<WritableFile> base, std::string name)
      : WritableFileWrapper(std::move(base)), env_(env), name_(std::move(name)) {}
  Status WriteAt(uint64_t offset, ByteSpan data) override {
    ZB_RETURN_IF_ERROR(env_.Step("write", name_));
    return base().WriteAt(offset, data);
  }
  Status Truncate(uint64_t size) override {
    ZB_RETURN_IF_ERROR(env_.Step("truncate", name_));
    return base().Truncate(size);
  }
  Status Sync() override {
    ZB_RETURN_IF_ERROR(env_.Step("fsync", name_));
    return base().Sync();
  }

 private:
  FaultEnv& env_;
  std::string name_;
};

inline Result<std::unique_ptr<WritableFile>> FaultEnv::Create(const std::string& path) {
  ZB_RETURN_IF_ERROR(Step("create", path));
  ZB_ASSIGN_OR_RETURN(auto file, base().Create(path));
  return std::unique_ptr<WritableFile>(new FaultWritableFile(*this, std::move(file), path));
}

inline Result<std::unique_ptr<WritableFile>> FaultEnv::CreateUnnamed(const std::string& for_path) {
  if (refuse_unnamed_) return std::unique_ptr<WritableFile>();
  ZB_RETURN_IF_ERROR(Step("create", for_path));
  ZB_ASSIGN_OR_RETURN(auto file, base().CreateUnnamed(for_path));
  if (file == nullptr) return file;
  return std::unique_ptr<WritableFile>(new FaultWritableFile(*this, std::move(file), for_path));
}

}  // namespace zb::testing
