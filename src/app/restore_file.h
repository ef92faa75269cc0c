// RestoreToFile: a stored snapshot back into a bbolt file at `path`, with
// every check verify makes on the way: stored bytes against the manifest's
// size and SHA-256, decompression, plain bytes against theirs, then the
// structural check of the result and its txid. The file is written through
// AtomicFile (temp beside `path`, fsync, rename, fsync dir): `path` appears
// only when everything matched. kCorruption naming the snapshot and what
// differs. Decompression stops at the manifest's plain size: a stored
// object that would expand beyond it (a zstd bomb) is kCorruption before
// more than that is written. Shared by verify and restore.
#pragma once

#include <string>

#include "env/atomic_file.h"
#include "env/env.h"
#include "repo/repository.h"

namespace zb::app {

Status RestoreToFile(Env& env, repo::Repository& repo, const repo::Manifest& m,
                     const std::string& path);

// The same into `out`, left uncommitted: the caller commits it (restore
// first gives it the owner of the file it replaces) or lets it go.
Status RestoreInto(Env& env, repo::Repository& repo, const repo::Manifest& m, AtomicFile& out);

}  // namespace zb::app
