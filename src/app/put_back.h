// PutBack: the last step of a restore, which replaces the live DB file with
// a restored one that passed every check (an uncommitted AtomicFile beside
// it). The new file takes the owner, group and mode of the file it replaces
// (or, where there was none, the directory's owner and group with mode
// 0600), so the controller's user can open it whoever ran the restore. The
// old file stays as `previous`, a second name for it made before the swap,
// so `path` is never missing. On any failure `path` is as it was and
// neither the restored copy nor `previous` is left behind (a rename refused
// with EBUSY over a bind-mounted file, say). Not thread-safe.
#pragma once

#include <string>

#include "env/atomic_file.h"
#include "env/env.h"

namespace zb::app {

struct PutBackResult {
  std::string previous;  // empty when there was no file
  uint32_t uid = 0, gid = 0, mode = 0;
};

Result<PutBackResult> PutBack(Env& env, AtomicFile& restored, const std::string& path,
                              const std::string& previous);

}  // namespace zb::app
