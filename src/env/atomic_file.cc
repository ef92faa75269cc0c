#include "env/atomic_file.h"

#include <unistd.h>

namespace zb {

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(Env& env, const std::string& final_path) {
  std::string temp = DirName(final_path) + "/." + BaseName(final_path) + ".tmp-" +
                     std::to_string(::getpid()) + "-" + RandomSuffix();
  ZB_ASSIGN_OR_RETURN(auto file, env.Create(temp));
  return std::unique_ptr<AtomicFile>(new AtomicFile(env, final_path, temp, std::move(file)));
}

AtomicFile::AtomicFile(Env& env, std::string final_path, std::string temp_path,
                       std::unique_ptr<WritableFile> file)
    : env_(env),
      final_path_(std::move(final_path)),
      temp_path_(std::move(temp_path)),
      file_(std::move(file)) {}

AtomicFile::~AtomicFile() {
  if (!done_) Abandon();
}

Status AtomicFile::Commit() {
  Status s = file_->Sync();
  if (s.ok()) s = file_->Close();
  if (s.ok()) s = env_.Rename(temp_path_, final_path_);
  if (!s.ok()) {
    Abandon();
    return s;
  }
  done_ = true;
  return env_.SyncDir(DirName(final_path_));
}

void AtomicFile::Abandon() {
  if (done_) return;
  done_ = true;
  file_->Close().IgnoreError();
  env_.Remove(temp_path_).IgnoreError();
}

bool IsAtomicTempName(const std::string& base_name) {
  return !base_name.empty() && base_name[0] == '.' && base_name.find(".tmp-") != std::string::npos;
}

}  // namespace zb
