// BucketStats: the numbers `inspect` shows for each bucket, collected by a
// TreeVisitor during the check's walk. Buckets deeper than `max_depth` are
// folded into their ancestor at that depth (its totals), so a controller DB
// with one nested bucket per record stays readable.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bolt/walk.h"

namespace zb::bolt {

struct BucketStats {
  // Raw; the last component of its path only (the path is its ancestors'
  // names: ForEachPath). Whole paths per bucket would take depth * name
  // bytes each, which nested buckets with long names make as large as the
  // file times its nesting.
  std::string name;
  int depth = 0;  // 1 for a top-level bucket
  bool is_inline = false;
  uint64_t keys = 0;         // non-bucket keys directly in it
  uint64_t sub_buckets = 0;  // buckets directly in it
  int tree_depth = 0;        // B+tree levels (1: a single leaf page)
  uint64_t branch_pages = 0, leaf_pages = 0, overflow_pages = 0;
  uint64_t bytes = 0;  // bytes of its own pages (inline: of its page inside the parent)
  // The bucket and everything below it:
  uint64_t total_keys = 0;
  uint64_t total_buckets = 0;  // descendants
  uint64_t total_bytes = 0;
};

struct DbStats {
  std::vector<BucketStats> buckets;  // pre-order, in key order (sorted by path)
  uint64_t keys = 0;                 // non-bucket keys in the whole DB
  uint64_t buckets_total = 0;        // every bucket at any depth
  int max_bucket_depth = 0;
};

class StatsCollector final : public TreeVisitor {
 public:
  // max_depth 0: every bucket.
  explicit StatsCollector(int max_depth) : max_depth_(max_depth) {}

  void EnterBucket(const BucketPath& path, const BucketHeader& header) override;
  void LeaveBucket(const BucketPath& path) override;
  void Page(const BucketPath& path, const PageVisit& page) override;
  void Key(const BucketPath& path, ByteSpan key, ByteSpan value) override;

  const DbStats& stats() const { return stats_; }

 private:
  struct Open {
    BucketStats s;
    long slot = -1;  // index in stats_.buckets, -1 if folded
  };
  int max_depth_;
  std::vector<Open> open_;  // the root bucket, then one per path component
  DbStats stats_;
};

// Calls fn(bucket, path) for each of stats.buckets in order, with its full
// path built from its ancestors' names as it goes.
template <class Fn>
void ForEachPath(const DbStats& stats, Fn&& fn) {
  BucketPath path;
  for (const BucketStats& b : stats.buckets) {
    path.resize(static_cast<size_t>(b.depth - 1));
    path.push_back(b.name);
    fn(b, path);
  }
}

// A bucket name for people and JSON: the bytes if they are valid UTF-8,
// else "hex:<hex>" (as the Go peer's stats do).
std::string PrintableName(const std::string& raw);

}  // namespace zb::bolt
