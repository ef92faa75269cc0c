// HashPages: the keyed hash of every page of a snapshot's image (the staged
// file a backup just wrote), which an incremental backup compares with its
// chain state to find the pages that changed (chain_state.h). Reads the
// file once, front to back, in large reads; memory is one read buffer plus
// 16 bytes per page (4 MiB at 1 GiB).
#pragma once

#include <vector>

#include "base/result.h"
#include "base/stream.h"
#include "env/env.h"
#include "repo/page_hasher.h"

namespace zb::repo {

// kCorruption if the file is not a whole number of pages; the file's
// errors otherwise. Every byte read also goes to `also` when given (the
// image's own SHA-256, in the same pass); it is not finished.
Result<std::vector<PageHash>> HashPages(RandomAccessFile& image, uint32_t page_size,
                                        PageHasher& hasher, ByteSink* also = nullptr);

}  // namespace zb::repo
