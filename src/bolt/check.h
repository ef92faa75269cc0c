// Check: the structural check of a bbolt file, the job of bbolt's Tx.Check
// (tx_check.go), reporting every finding with its page id instead of
// stopping at the first. It checks both meta pages, the freelist (ids in
// range, no duplicates, not reachable), the whole tree (page types, ids,
// bounds, single reference, key order, element bounds) and that every page
// below the high-water mark is reachable or free.
// Thread-compatible; reads the file through Env only.
#pragma once

#include <optional>
#include <vector>

#include "base/result.h"
#include "bolt/finding.h"
#include "bolt/meta.h"
#include "bolt/walk.h"
#include "env/env.h"

namespace zb::bolt {

struct CheckReport {
  // Absent when no meta page is valid (then findings say why).
  std::optional<Meta> meta;
  int meta_slot = 0;
  uint32_t page_size = 0;
  uint64_t file_size = 0;
  bool freelist_persisted = false;

  std::vector<Finding> findings;  // the first kMaxKeptFindings, in discovery order
  uint64_t finding_count = 0;     // all of them

  uint64_t reachable_pages = 0;    // metas, freelist and tree pages (with overflow)
  uint64_t free_pages = 0;         // ids in the freelist (free and pending alike)
  uint64_t pending_pages = 0;      // freed by the last transaction (see Check)
  uint64_t unreachable_pages = 0;  // neither reachable nor free

  bool clean() const { return finding_count == 0; }
};

inline constexpr size_t kMaxKeptFindings = 10000;

// Checks `file`. Returns an error only when the file cannot be read (I/O);
// a damaged or foreign file gives a report with findings. `also`, if given,
// sees the tree walk too (inspect collects its statistics that way).
//
// pending_pages: bbolt stores free and pending pages as one list; the pages
// freed by the latest transaction N are those in N's freelist and not in the
// freelist of N-1 (the other meta page), when that meta is valid.
Result<CheckReport> Check(RandomAccessFile& file, TreeVisitor* also = nullptr);

}  // namespace zb::bolt
