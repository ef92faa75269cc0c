#include "env/atomic_file.h"

#include <unistd.h>

namespace zb {

namespace {

std::string TempName(const std::string& final_path) {
  return DirName(final_path) + "/" + AtomicTempPrefix(final_path) + std::to_string(::getpid()) +
         "-" + RandomSuffix();
}

}  // namespace

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(Env& env, const std::string& final_path) {
  // Refused now rather than at the rename, after all the work: the rename
  // would fail over a directory, and silently replace a FIFO or device.
  if (auto existing = env.Stat(final_path); existing.ok() && existing->type != FileType::kRegular) {
    return NotRegularFile(final_path, existing->type);
  }
  ZB_ASSIGN_OR_RETURN(auto unnamed, env.CreateUnnamed(final_path));
  if (unnamed != nullptr) {
    std::string proc_path = unnamed->path();
    return std::unique_ptr<AtomicFile>(
        new AtomicFile(env, final_path, std::move(proc_path), std::move(unnamed), true));
  }
  std::string temp = TempName(final_path);
  ZB_ASSIGN_OR_RETURN(auto file, env.Create(temp));
  return std::unique_ptr<AtomicFile>(
      new AtomicFile(env, final_path, std::move(temp), std::move(file), false));
}

AtomicFile::AtomicFile(Env& env, std::string final_path, std::string temp_path,
                       std::unique_ptr<WritableFile> file, bool unnamed)
    : env_(env),
      final_path_(std::move(final_path)),
      temp_path_(std::move(temp_path)),
      file_(std::move(file)),
      unnamed_(unnamed) {}

AtomicFile::~AtomicFile() {
  if (!done_) Abandon();
}

Status AtomicFile::Commit() {
  Status s = file_->Sync();
  std::string from = temp_path_;
  if (s.ok() && unnamed_) {
    // A name first, then rename: linkat cannot replace an existing file.
    // The temp name exists only between these two calls.
    const std::string name = TempName(final_path_);
    s = env_.Link(temp_path_, name);
    if (s.ok()) linked_ = from = name;
  }
  if (s.ok()) s = file_->Close();
  if (s.ok()) s = env_.Rename(from, final_path_);
  if (!s.ok()) {
    Abandon();
    return s;
  }
  done_ = renamed_ = true;
  return env_.SyncDir(DirName(final_path_));
}

void AtomicFile::Abandon() {
  if (done_) return;
  done_ = true;
  file_->Close().IgnoreError();
  if (!unnamed_) env_.Remove(temp_path_).IgnoreError();
  if (!linked_.empty()) env_.Remove(linked_).IgnoreError();
}

std::string AtomicTempPrefix(const std::string& final_path) {
  return "." + BaseName(final_path) + ".tmp-";
}

Status WriteFileAtomically(Env& env, const std::string& path, std::string_view bytes) {
  ZB_RETURN_IF_ERROR(env.CreateDir(DirName(path)));
  ZB_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(env, path));
  ZB_RETURN_IF_ERROR(file->file().WriteAt(
      0, ByteSpan(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size())));
  return file->Commit();
}

bool IsAtomicTempName(const std::string& base_name) {
  return !base_name.empty() && base_name[0] == '.' && base_name.find(".tmp-") != std::string::npos;
}

}  // namespace zb
