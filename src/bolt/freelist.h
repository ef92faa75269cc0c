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

// Reads and decodes the freelist `meta` names from `file`; empty when the
// freelist is not persisted (meta.freelist == kNoFreelist).
Result<std::vector<Pgid>> ReadFreelist(BoltFile& file, const Meta& meta);

}  // namespace zb::bolt
