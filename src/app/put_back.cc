#include "app/put_back.h"

#include <cstdio>

namespace zb::app {
namespace {

std::string Octal(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

}  // namespace

Result<PutBackResult> PutBack(Env& env, AtomicFile& restored, const std::string& path,
                              const std::string& previous) {
  PutBackResult r;
  auto old = env.Stat(path);
  if (old.ok()) {
    r = {previous, old->uid, old->gid, old->mode};
  } else if (old.status().code() == Code::kNotFound) {
    ZB_ASSIGN_OR_RETURN(FileInfo dir, env.Stat(DirName(path)));
    r = {"", dir.uid, dir.gid, 0600};
  } else {
    return old.status();
  }
  if (Status s = restored.file().SetOwner(r.uid, r.gid, r.mode); !s.ok()) {
    return Status(s.code(), "cannot give the restored file the owner " + std::to_string(r.uid) +
                                ":" + std::to_string(r.gid) + " and mode " + Octal(r.mode) +
                                " of " + (old.ok() ? path : DirName(path)) +
                                " (run restore as root or as that user): " + s.message());
  }
  if (!r.previous.empty()) ZB_RETURN_IF_ERROR(env.Link(path, r.previous));
  if (Status s = restored.Commit(); !s.ok()) {
    // Before the rename the old file is still at `path`: drop its second
    // name. After it (a failed directory fsync) both names are needed.
    if (!r.previous.empty() && !restored.renamed()) env.Remove(r.previous).IgnoreError();
    return s;
  }
  return r;
}

}  // namespace zb::app
