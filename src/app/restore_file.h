// RestoreToFile: a stored snapshot back into a bbolt file at `path`, with
// every check verify makes on the way: stored bytes against the manifest's
// size and SHA-256, decompression, plain bytes against theirs, then the
// structural check of the result and its txid. The file is written through
// AtomicFile (temp beside `path`, fsync, rename, fsync dir): `path` appears
// only when everything matched. kCorruption naming the snapshot and what
// differs. Shared by verify and restore.
#pragma once

#include <string>

#include "env/env.h"
#include "repo/repository.h"

namespace zb::app {

Status RestoreToFile(Env& env, repo::Repository& repo, const repo::Manifest& m,
                     const std::string& path);

}  // namespace zb::app
