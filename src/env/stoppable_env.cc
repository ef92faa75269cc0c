#include "env/stoppable_env.h"

#include <algorithm>

#include "env/env_wrapper.h"

namespace zb {
namespace {

class StoppableReadFile final : public RandomAccessFile {
 public:
  StoppableReadFile(const StoppableEnv& env, std::unique_ptr<RandomAccessFile> base)
      : env_(env), base_(std::move(base)) {}
  Result<size_t> ReadAt(uint64_t offset, MutableByteSpan dst) override {
    ZB_RETURN_IF_ERROR(env_.Check("read " + path()));
    return base_->ReadAt(offset, dst);
  }
  Result<uint64_t> Size() override { return base_->Size(); }
  const std::string& path() const override { return base_->path(); }
  RandomAccessFile& base() { return *base_; }

 private:
  const StoppableEnv& env_;
  std::unique_ptr<RandomAccessFile> base_;
};

class StoppableWriteFile final : public WritableFileWrapper {
 public:
  StoppableWriteFile(const StoppableEnv& env, std::unique_ptr<WritableFile> base)
      : WritableFileWrapper(std::move(base)), env_(env) {}
  Status WriteAt(uint64_t offset, ByteSpan data) override {
    ZB_RETURN_IF_ERROR(env_.Check("write " + path()));
    return base().WriteAt(offset, data);
  }
  Status Truncate(uint64_t size) override {
    ZB_RETURN_IF_ERROR(env_.Check("truncate " + path()));
    return base().Truncate(size);
  }
  Status Sync() override {
    ZB_RETURN_IF_ERROR(env_.Check("fsync " + path()));
    return base().Sync();
  }

 private:
  const StoppableEnv& env_;
};

}  // namespace

Status StoppableEnv::Check(const std::string& what) const {
  if (stop_.stop_requested()) return Status::Aborted("stopped (SIGTERM): interrupted " + what);
  return Status::OK();
}

Result<std::unique_ptr<RandomAccessFile>> StoppableEnv::OpenForRead(const std::string& path) {
  ZB_RETURN_IF_ERROR(Check("open " + path));
  ZB_ASSIGN_OR_RETURN(auto file, base().OpenForRead(path));
  return std::unique_ptr<RandomAccessFile>(new StoppableReadFile(*this, std::move(file)));
}

Result<std::unique_ptr<WritableFile>> StoppableEnv::Create(const std::string& path) {
  ZB_RETURN_IF_ERROR(Check("create " + path));
  ZB_ASSIGN_OR_RETURN(auto file, base().Create(path));
  return std::unique_ptr<WritableFile>(new StoppableWriteFile(*this, std::move(file)));
}

Result<std::unique_ptr<WritableFile>> StoppableEnv::CreateUnnamed(const std::string& for_path) {
  ZB_RETURN_IF_ERROR(Check("create " + for_path));
  ZB_ASSIGN_OR_RETURN(auto file, base().CreateUnnamed(for_path));
  if (file == nullptr) return file;
  return std::unique_ptr<WritableFile>(new StoppableWriteFile(*this, std::move(file)));
}

Status StoppableEnv::Link(const std::string& from, const std::string& to) {
  ZB_RETURN_IF_ERROR(Check("link to " + to));
  return base().Link(from, to);
}

Status StoppableEnv::Rename(const std::string& from, const std::string& to) {
  ZB_RETURN_IF_ERROR(Check("rename to " + to));
  return base().Rename(from, to);
}

Status StoppableEnv::SyncDir(const std::string& dir) {
  ZB_RETURN_IF_ERROR(Check("fsync " + dir));
  return base().SyncDir(dir);
}

Status StoppableEnv::CreateDir(const std::string& dir) {
  ZB_RETURN_IF_ERROR(Check("create " + dir));
  return base().CreateDir(dir);
}

Result<std::string> StoppableEnv::CreateTempDir(const std::string& parent,
                                                const std::string& prefix) {
  ZB_RETURN_IF_ERROR(Check("create a directory in " + parent));
  return base().CreateTempDir(parent, prefix);
}

Result<std::unique_ptr<FileLock>> StoppableEnv::TryLock(const std::string& path, LockMode mode) {
  ZB_RETURN_IF_ERROR(Check("lock " + path));
  return base().TryLock(path, mode);
}

Result<uint64_t> StoppableEnv::CopyRange(RandomAccessFile& src, uint64_t src_off, WritableFile& dst,
                                         uint64_t dst_off, uint64_t len) {
  // Hand the base Env its own files, so the real one keeps copy_file_range;
  // in pieces, so a stop is seen within one piece.
  auto* s = dynamic_cast<StoppableReadFile*>(&src);
  auto* d = dynamic_cast<StoppableWriteFile*>(&dst);
  RandomAccessFile& from = s ? s->base() : src;
  WritableFile& to = d ? d->base() : dst;
  constexpr uint64_t kPiece = 16 << 20;
  uint64_t done = 0;
  while (done < len) {
    ZB_RETURN_IF_ERROR(Check("copy to " + dst.path()));
    const uint64_t want = std::min(kPiece, len - done);
    ZB_ASSIGN_OR_RETURN(uint64_t n,
                        base().CopyRange(from, src_off + done, to, dst_off + done, want));
    done += n;
    if (n < want) break;
  }
  return done;
}

Result<ProcessResult> StoppableEnv::RunProcess(const ProcessSpec& spec) {
  ZB_RETURN_IF_ERROR(Check("run " + (spec.argv.empty() ? std::string() : spec.argv[0])));
  ProcessSpec mine = spec;
  if (!mine.cancel.stop_possible()) mine.cancel = stop_;
  return base().RunProcess(mine);
}

}  // namespace zb
