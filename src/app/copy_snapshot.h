// CopySnapshot: one snapshot from one target to another exactly as stored
// (no decryption, no recompression, so a host without the age identity can
// copy encrypted snapshots). The data object streams from one target to the
// other (a download thread, a small pipe, the upload) while its size and
// SHA-256 are checked against the manifest; the check ends the stream, so
// an object that does not match fails the upload before it completes and
// nothing of it becomes visible. The manifest, byte for byte, goes last:
// the destination's commit point, as in a backup. A copy that fails after
// the data leaves at most a data object without a manifest, which the next
// copy overwrites and prune removes as an orphan.
//
// An incremental snapshot is its chain's objects: each one the destination
// does not already hold (by name and size) is copied and checked the same
// way, base first, then the manifest. Objects already there are shared
// with the destination's other snapshots and are not written again; on a
// destination with Object Lock they are locked again for as long as the
// objects copied now, when their lock ends sooner.
#pragma once

#include <string>

#include "base/result.h"
#include "repo/manifest.h"
#include "repo/repository.h"

namespace zb::app {

// kCorruption naming the snapshot if the source's data does not match its
// manifest (its manifest is not written); the targets' errors otherwise.
// Returns the bytes copied.
Result<uint64_t> CopySnapshot(repo::Repository& from, repo::Repository& to,
                              const repo::Manifest& m);

}  // namespace zb::app
