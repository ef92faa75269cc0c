// Scrub: zero the free pages of a snapshot. They hold deleted records and
// old secrets the live DB no longer uses, and zeroes compress to nothing.
#pragma once

#include <vector>

#include "base/result.h"
#include "bolt/page.h"
#include "env/env.h"

namespace zb::snapshot {

// Writes zeroes over each page in `free_pages` that lies in [2, high_water).
// Returns the number of pages zeroed.
Result<uint64_t> ZeroPages(WritableFile& out, const std::vector<bolt::Pgid>& free_pages,
                           uint32_t page_size, bolt::Pgid high_water);

}  // namespace zb::snapshot
