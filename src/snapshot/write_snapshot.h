// WriteSnapshot: the part of `snapshot` that every method shares. The Source
// fills a temp file beside OUT; then both meta pages are rewritten from the
// image's meta the way bbolt's Tx.WriteTo does (slot 0 holds txid N, slot 1
// the same meta with txid N-1, both with valid checksums), free pages are
// zeroed, the file is cut at the
// high-water mark, checked structurally while it is fsynced, and only then
// renamed to OUT. On any failure OUT is untouched and
// the temp file is gone.
#pragma once

#include <functional>
#include <string>

#include "base/duration.h"
#include "env/atomic_file.h"
#include "env/clock.h"
#include "snapshot/source.h"

namespace zb::snapshot {

struct WriteOptions {
  bool scrub = true;
  // fsync before the result counts. A scratch copy that is read once and
  // dropped (backup's staged snapshot) needs no durability.
  bool sync = true;
};

struct WriteResult {
  Image image;
  uint64_t bytes = 0;           // size of OUT
  uint64_t scrubbed_pages = 0;  // free pages zeroed
  Duration elapsed{0};
};

// Checks the finished temp file before it is committed; a non-ok Status
// aborts the snapshot. cli builds it from bolt::Check.
using Verifier = std::function<Status(const std::string& path, const bolt::Meta& expected)>;

Result<WriteResult> WriteSnapshot(Env& env, Clock& clock, Source& source,
                                  const std::string& out_path, const WriteOptions& options,
                                  const Verifier& verify);

// The same into `out`, left uncommitted: the caller commits it, or reads it
// through out.temp_path() and lets it go (nothing of it stays on disk).
Result<WriteResult> WriteSnapshotTo(Clock& clock, Source& source, AtomicFile& out,
                                    const WriteOptions& options, const Verifier& verify);

}  // namespace zb::snapshot
