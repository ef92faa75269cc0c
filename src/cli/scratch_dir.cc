#include "cli/scratch_dir.h"

#include <cstdlib>

namespace zb::cli {

Result<std::unique_ptr<ScratchDir>> ScratchDir::Create(Env& env, const std::string& work_dir,
                                                       const std::string& prefix) {
  std::string work = work_dir;
  if (work.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    work = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  ZB_RETURN_IF_ERROR(env.CreateDir(work));
  ZB_ASSIGN_OR_RETURN(std::string dir, env.CreateTempDir(work, prefix));
  return std::unique_ptr<ScratchDir>(new ScratchDir(env, std::move(dir)));
}

ScratchDir::~ScratchDir() {
  if (auto entries = env_.List(dir_); entries.ok()) {
    for (const FileInfo& e : *entries) env_.Remove(dir_ + "/" + e.name).IgnoreError();
  }
  env_.RemoveDir(dir_).IgnoreError();
}

}  // namespace zb::cli
