// The bbolt freelist page (freelist page flag): a sorted list of u64 page ids
// that are free or pending. When there are 0xFFFF or more ids, the header's
// count is 0xFFFF and the real count is the first u64 of the body.
// Pure functions; thread-safe.
#pragma once

#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "bolt/file.h"
#include "bolt/meta.h"
#include "bolt/page.h"

namespace zb::bolt {

// Decodes the ids of a freelist page (with its overflow pages), sorted
// ascending. kCorruption if the page is not a freelist page or its count
// does not fit in the page.
Result<std::vector<Pgid>> DecodeFreelist(ByteSpan page);

// The most pages a freelist of a file with `file_pages` pages can need: one
// id per page, as bbolt sizes it (header, the 0xFFFF count word, 8 bytes an
// id). A freelist page claiming more overflow is damage, and reading it
// would take memory for pages the list cannot use.
uint64_t MaxFreelistPages(uint32_t page_size, uint64_t file_pages);

// Reads and decodes the freelist `meta` names from `file`; empty when the
// freelist is not persisted (meta.freelist == kNoFreelist). kCorruption if
// its overflow passes MaxFreelistPages.
Result<std::vector<Pgid>> ReadFreelist(BoltFile& file, const Meta& meta);

}  // namespace zb::bolt
