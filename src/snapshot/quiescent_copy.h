// Copying a bbolt file that no one is writing (cold method under a shared
// lock, or the file an agent wrote): latest meta, its freelist, pages
// [0, high-water). Used by ColdSource and AgentSource.
#pragma once

#include "snapshot/source.h"

namespace zb::snapshot {

// Reads the latest valid meta of `src`, the freelist it names, and copies
// pages [0, meta.pgid) to `out`, writing the free ones as zeroes if
// `scrub`. kCorruption if the file is not bbolt or is shorter than its
// high-water mark.
Result<Image> CopyQuiescent(Env& env, RandomAccessFile& src, WritableFile& out, bool scrub);

}  // namespace zb::snapshot
