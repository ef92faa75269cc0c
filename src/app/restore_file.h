// RestoreToFile: a stored snapshot back into a bbolt file at `path`, with
// every check verify makes on the way: stored bytes against the manifest's
// size and SHA-256, decompression, plain bytes against theirs, then the
// structural check of the result and its txid. The file is written through
// AtomicFile (temp beside `path`, fsync, rename, fsync dir): `path` appears
// only when everything matched. kCorruption naming the snapshot and what
// differs. Decompression stops at the manifest's plain size: a stored
// object that would expand beyond it (a zstd bomb) is kCorruption before
// more than that is written. Shared by verify and restore.
//
// An encrypted snapshot (age) needs one of its identities; without one it
// is kInvalidArgument before anything is read. Decryption authenticates
// every chunk before it is written, so a wrong identity or a changed
// object is kCorruption and nothing restored.
#pragma once

#include <span>
#include <string>

#include "codec/age_key.h"
#include "env/atomic_file.h"
#include "env/env.h"
#include "repo/repository.h"

namespace zb::app {

Status RestoreToFile(Env& env, repo::Repository& repo, const repo::Manifest& m,
                     const std::string& path, std::span<const codec::SecretKey> identities = {});

// The same into `out`, left uncommitted: the caller commits it (restore
// first gives it the owner of the file it replaces) or lets it go.
Status RestoreInto(Env& env, repo::Repository& repo, const repo::Manifest& m, AtomicFile& out,
                   std::span<const codec::SecretKey> identities = {});

// Fetches object `o` of `m`, checks its stored bytes against what the
// manifest says of it, and decodes it (age, zstd) into `plain`, which it
// finishes. More than the object's plain size is kCorruption before it is
// written (a zstd bomb).
Status DecodeStoredObject(repo::Repository& repo, const repo::Manifest& m,
                          const repo::StoredObject& o, ByteSink& plain,
                          std::span<const codec::SecretKey> identities);

// The checks of an image rebuilt at `path` (`size` bytes with `sha256`)
// against `m`: size and SHA-256, bbolt's structure, the txid.
Status CheckImage(Env& env, const std::string& path, const repo::Manifest& m, uint64_t size,
                  const std::string& sha256);

// The check that needs no key: each stored object's size and SHA-256
// against the manifest's (kCorruption naming both when they differ).
Status VerifyStoredObject(repo::Repository& repo, const repo::Manifest& m);
// The same for one object that snapshot `id` lists.
Status VerifyStoredObject(repo::Repository& repo, const std::string& id,
                          const repo::StoredObject& o);

}  // namespace zb::app
