// LocalBackend: a file:// target, one file per object in one directory
// (created 0700). Objects are written through AtomicFile (temp name in the
// same directory, fsync, rename, fsync the directory; mode 0600), so a
// crash leaves the old object or the new one, plus at worst a ".name.tmp-*"
// file that List never shows. Thread-safe (Env is).
#pragma once

#include "env/env.h"
#include "store/backend.h"

namespace zb::store {

// What a local target does when its directory does not exist.
enum class MissingDir {
  kFail,        // an error naming the target (commands that only read)
  kCreateLast,  // make the last level, 0700, if its parent exists (backup)
  kCreateAll,   // make the whole path (--create-target)
};

class LocalBackend final : public Backend {
 public:
  LocalBackend(Env& env, std::string dir, MissingDir missing = MissingDir::kCreateLast)
      : env_(env), dir_(std::move(dir)), missing_(missing) {}
  Status Put(std::string_view name, ByteSource& data) override;
  Status Get(std::string_view name, ByteSink& out) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view name) override;
  std::string Describe() const override { return "file://" + dir_; }
  Result<uint64_t> RemoveStaleTemporaries(TimePoint before) override;
  // flock on <dir>/.ziti-backup.lock (a dot-name: never listed as an object).
  Result<std::unique_ptr<TargetLock>> TryLock() override;

  const std::string& dir() const { return dir_; }

 private:
  std::string PathOf(std::string_view name) const { return dir_ + "/" + std::string(name); }
  // Before a write: the directory exists, or is made as missing_ allows.
  Status EnsureDir();
  Status Missing() const;
  Env& env_;
  std::string dir_;
  MissingDir missing_;
};

}  // namespace zb::store
