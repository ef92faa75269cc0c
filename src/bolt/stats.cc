#include "bolt/stats.h"

#include <algorithm>

namespace zb::bolt {

void StatsCollector::EnterBucket(const BucketPath& path, const BucketHeader& header) {
  Open o;
  o.s.depth = static_cast<int>(path.size());
  o.s.is_inline = header.root == 0;
  if (!path.empty()) {
    ++stats_.buckets_total;
    stats_.max_bucket_depth = std::max(stats_.max_bucket_depth, o.s.depth);
    if (!open_.empty()) ++open_.back().s.sub_buckets;
    if (max_depth_ == 0 || o.s.depth <= max_depth_) {
      o.s.name = path.back();
      o.slot = static_cast<long>(stats_.buckets.size());
      stats_.buckets.emplace_back();
    }
  }
  open_.push_back(std::move(o));
}

void StatsCollector::LeaveBucket(const BucketPath& path) {
  if (open_.empty()) return;
  Open o = std::move(open_.back());
  open_.pop_back();
  o.s.total_keys += o.s.keys;
  o.s.total_bytes += o.s.bytes;
  o.s.total_buckets += o.s.sub_buckets;
  if (!open_.empty()) {
    BucketStats& parent = open_.back().s;
    parent.total_keys += o.s.total_keys;
    parent.total_buckets += o.s.total_buckets;
    parent.total_bytes += o.s.total_bytes;
  }
  if (o.slot >= 0) stats_.buckets[o.slot] = std::move(o.s);
}

void StatsCollector::Page(const BucketPath& path, const PageVisit& page) {
  if (open_.empty()) return;
  BucketStats& s = open_.back().s;
  s.tree_depth = std::max(s.tree_depth, page.level + 1);
  s.bytes += page.bytes;
  if (page.is_inline) return;
  if (page.header.flags == kBranchPageFlag) {
    ++s.branch_pages;
  } else {
    ++s.leaf_pages;
  }
  s.overflow_pages += page.header.overflow;
}

void StatsCollector::Key(const BucketPath& path, ByteSpan key, ByteSpan value) {
  ++stats_.keys;
  if (!open_.empty()) ++open_.back().s.keys;
}

namespace {

// Length of the UTF-8 sequence starting at s[i] (no overlongs, no
// surrogates), or 0 if invalid.
size_t Utf8Length(const std::string& s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((c & 0xe0) == 0xc0) {
    n = 2, cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    n = 3, cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

}  // namespace

std::string PrintableName(const std::string& raw) {
  bool ok = true;
  for (size_t i = 0; i < raw.size() && ok;) {
    size_t n = Utf8Length(raw, i);
    ok = n > 0;
    i += n;
  }
  if (ok) return raw;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "hex:";
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace zb::bolt
