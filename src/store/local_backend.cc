#include "store/local_backend.h"

#include "env/atomic_file.h"

namespace zb::store {

Status LocalBackend::Missing() const {
  return Status::NotFound("target " + Describe() + " does not exist (no directory " + dir_ + ")");
}

Status LocalBackend::EnsureDir() {
  auto info = env_.Stat(dir_);
  if (info.ok()) {
    if (!info->is_dir)
      return Status::InvalidArgument("target " + Describe() + " is not a directory");
    return Status::OK();
  }
  if (info.status().code() != Code::kNotFound) return info.status();
  switch (missing_) {
    case MissingDir::kFail:
      return Missing();
    case MissingDir::kCreateLast: {
      const std::string parent = DirName(dir_);
      auto p = env_.Stat(parent);
      if (!p.ok() || !p->is_dir) {
        return Status::NotFound(
            "target " + Describe() + ": its parent directory " + parent +
            " does not exist (a typo, or a volume that is not mounted?); create it, or set "
            "--create-target / ZITI_CTRL_BACKUP_CREATE_TARGET=true to make the whole path");
      }
      return env_.CreateDir(dir_);
    }
    case MissingDir::kCreateAll:
      return env_.CreateDir(dir_);
  }
  return Missing();
}

Status LocalBackend::Put(std::string_view name, ByteSource& data) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(data.Rewind());
  ZB_RETURN_IF_ERROR(EnsureDir());
  ZB_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(env_, PathOf(name)));
  std::vector<std::byte> buf(1 << 16);
  uint64_t offset = 0;
  while (true) {
    ZB_ASSIGN_OR_RETURN(size_t n, data.Read(buf));
    if (n == 0) break;
    ZB_RETURN_IF_ERROR(file->file().WriteAt(offset, ByteSpan(buf.data(), n)));
    offset += n;
  }
  return file->Commit();  // on any error above, `file` removes its temp file
}

Status LocalBackend::Get(std::string_view name, ByteSink& out) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  auto file = env_.OpenForRead(PathOf(name));
  if (!file.ok()) {
    if (file.status().code() == Code::kNotFound) {
      return Status::NotFound(Describe() + ": no object " + std::string(name));
    }
    // A FIFO or directory where an object should be: damage in the target.
    if (file.status().code() == Code::kInvalidArgument) {
      return Status::Corruption(file.status().message());
    }
    return file.status();
  }
  std::vector<std::byte> buf(1 << 16);
  for (uint64_t offset = 0;;) {
    ZB_ASSIGN_OR_RETURN(size_t n, (*file)->ReadAt(offset, buf));
    if (n == 0) return Status::OK();
    ZB_RETURN_IF_ERROR(out.Write(ByteSpan(buf.data(), n)));
    offset += n;
  }
}

Result<std::vector<ObjectInfo>> LocalBackend::List(std::string_view prefix) {
  auto entries = env_.List(dir_);
  if (!entries.ok()) {
    if (entries.status().code() != Code::kNotFound) return entries.status();
    // A target a backup would make is empty until then; one that is only
    // read from must exist.
    if (missing_ == MissingDir::kFail) return Missing();
    return std::vector<ObjectInfo>{};
  }
  std::vector<ObjectInfo> out;
  for (const FileInfo& e : *entries) {
    // Temp files of unfinished writes start with '.', which names never do.
    if (e.is_dir || !ValidateObjectName(e.name).ok()) continue;
    if (e.name.compare(0, prefix.size(), prefix) != 0) continue;
    out.push_back({e.name, e.size, e.modified});
  }
  return out;
}

namespace {

class LocalLock final : public TargetLock {
 public:
  explicit LocalLock(std::unique_ptr<FileLock> lock) : lock_(std::move(lock)) {}

 private:
  std::unique_ptr<FileLock> lock_;
};

}  // namespace

Result<std::unique_ptr<TargetLock>> LocalBackend::TryLock() {
  ZB_RETURN_IF_ERROR(EnsureDir());
  const std::string path = dir_ + "/.ziti-backup.lock";
  if (!env_.Stat(path).ok()) {
    auto created = env_.Create(path);  // may race with another run creating it: fine
    if (created.ok()) (*created)->Close().IgnoreError();
  }
  auto lock = env_.TryLock(path, LockMode::kExclusive);
  if (!lock.ok()) {
    if (lock.status().code() == Code::kBusy) {
      return Status::Busy("another ziti-backup is writing to " + Describe() + " (it holds " + path +
                          ")");
    }
    return lock.status();
  }
  return std::unique_ptr<TargetLock>(new LocalLock(std::move(lock).value()));
}

Result<uint64_t> LocalBackend::RemoveStaleTemporaries(TimePoint before) {
  auto entries = env_.List(dir_);
  if (!entries.ok()) {
    if (entries.status().code() == Code::kNotFound) return uint64_t{0};
    return entries.status();
  }
  uint64_t removed = 0;
  for (const FileInfo& e : *entries) {
    if (e.is_dir || !IsAtomicTempName(e.name) || e.modified >= before) continue;
    ZB_RETURN_IF_ERROR(env_.Remove(dir_ + "/" + e.name));
    ++removed;
  }
  return removed;
}

Status LocalBackend::Delete(std::string_view name) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(env_.Remove(PathOf(name)));
  auto s = env_.SyncDir(dir_);
  return s.code() == Code::kNotFound ? Status::OK() : s;
}

}  // namespace zb::store
