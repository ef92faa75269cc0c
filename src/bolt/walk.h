// WalkTree: visits the B+tree of every bucket under a meta's root, depth
// first in key order, reading one page at a time through Env (no mmap, so
// memory is a few pages per level however large the file).
//
// It trusts nothing read from the file: every page id is checked against the
// high-water mark and the file size, every element against its page, every
// page is walked at most once (a second reference is a finding, which also
// makes cycles harmless), and the depth is bounded. Elements whose keys and
// values overlap are not visited (a leaf) or not compared (a branch's keys),
// so no byte of a page is read once per element. Problems become Findings
// handed to the visitor; the walk goes on with the rest of the tree.
// Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/concurrent_page_set.h"
#include "bolt/file.h"
#include "bolt/finding.h"
#include "bolt/meta.h"

namespace zb::bolt {

// A bucket's name path from the root bucket: {"ziti", "identities", "x1"}.
// Names are raw bytes held in std::string.
using BucketPath = std::vector<std::string>;

struct PageVisit {
  Pgid id = 0;  // 0 for the page inside an inline bucket
  PageHeader header;
  int level = 0;  // 0 for a bucket's root page
  bool is_inline = false;
  uint64_t bytes = 0;  // page bytes including overflow pages (inline: the page part of the value)
};

class TreeVisitor {
 public:
  virtual ~TreeVisitor() = default;
  // `path` names the bucket (empty for the root bucket).
  virtual void EnterBucket(const BucketPath& path, const BucketHeader& header) {}
  virtual void LeaveBucket(const BucketPath& path) {}
  // A branch or leaf page of the bucket at `path`, once it is known to be one.
  virtual void Page(const BucketPath& path, const PageVisit& page) {}
  // A key of the bucket at `path` that is not a bucket.
  virtual void Key(const BucketPath& path, ByteSpan key, ByteSpan value) {}
  virtual void Found(Finding finding) {}
};

struct WalkLimits {
  size_t max_depth = 1024;                 // pages on the stack (bucket nesting x tree depth)
  uint64_t max_page_bytes = 256ull << 20;  // one page with its overflow
};

// Walks the tree of `meta` in `file` (file_size bytes). Every page id reached
// (with its overflow pages) is added to `reached`; a page already in it is
// reported as reached twice and not walked again, so callers pre-mark the
// meta and freelist pages. Page ids past the end of the file are findings
// before they reach `reached`. REQUIRES: reached.bound() >= min(meta.pgid,
// file_size / page size).
// Returns an error only for I/O failures.
Status WalkTree(BoltFile& file, const Meta& meta, uint64_t file_size, ConcurrentPageSet& reached,
                TreeVisitor& visitor, const WalkLimits& limits = {});

// The same walk on `threads` threads: buckets are handed out to idle
// walkers, so the visitor is called from several threads at once and sees
// buckets in no particular order (EnterBucket/LeaveBucket are not called).
// Which of two references to a page is reported as the second one depends
// on timing; callers that need a stable report walk again with WalkTree
// when anything was found. For a clean file the result is the same.
Status WalkTreeParallel(BoltFile& file, const Meta& meta, uint64_t file_size,
                        ConcurrentPageSet& reached, TreeVisitor& visitor, int threads,
                        const WalkLimits& limits = {});

// Byte-wise key order, as bbolt's bytes.Compare.
int CompareKeys(ByteSpan a, ByteSpan b);

}  // namespace zb::bolt
