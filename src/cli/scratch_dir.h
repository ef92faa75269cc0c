// ScratchDir: a private directory for one command's scratch files (verify's
// restored copies, copy's checked downloads): "<work>/<prefix>XXXXXX"
// (mkdtemp: 0700, a name nobody could have made first, never a name in a
// shared /tmp that another user could own) under --work-dir, else $TMPDIR,
// else /tmp. Removed with whatever is left in it on every way out.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "env/env.h"

namespace zb::cli {

class ScratchDir {
 public:
  // `work_dir` empty: $TMPDIR, else /tmp. The parent is made if missing.
  static Result<std::unique_ptr<ScratchDir>> Create(Env& env, const std::string& work_dir,
                                                    const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return dir_; }

 private:
  ScratchDir(Env& env, std::string dir) : env_(env), dir_(std::move(dir)) {}
  Env& env_;
  const std::string dir_;
};

}  // namespace zb::cli
