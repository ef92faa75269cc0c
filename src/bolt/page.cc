#include "bolt/page.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace zb::bolt {

std::optional<PageHeader> DecodePageHeader(ByteSpan page) {
  if (page.size() < kPageHeaderSize) return std::nullopt;
  return PageHeader{*LoadLE<uint64_t>(page, 0), *LoadLE<uint16_t>(page, 8),
                    *LoadLE<uint16_t>(page, 10), *LoadLE<uint32_t>(page, 12)};
}

void EncodePageHeader(const PageHeader& h, MutableByteSpan page) {
  StoreLE<uint64_t>(page, 0, h.id);
  StoreLE<uint16_t>(page, 8, h.flags);
  StoreLE<uint16_t>(page, 10, h.count);
  StoreLE<uint32_t>(page, 12, h.overflow);
}

std::string PageTypeName(uint16_t flags) {
  // Exact values, as bbolt v1.5 compares them: 0x05 is no type at all.
  if (flags == kBranchPageFlag) return "branch";
  if (flags == kLeafPageFlag) return "leaf";
  if (flags == kMetaPageFlag) return "meta";
  if (flags == kFreelistPageFlag) return "freelist";
  char buf[32];
  std::snprintf(buf, sizeof buf, "unknown<%02x>", flags);
  return buf;
}

std::optional<BranchElement> DecodeBranchElement(ByteSpan page, uint16_t i) {
  const size_t at = kPageHeaderSize + size_t{i} * kElementSize;
  auto pos = LoadLE<uint32_t>(page, at);
  auto ksize = LoadLE<uint32_t>(page, at + 4);
  auto pgid = LoadLE<uint64_t>(page, at + 8);
  if (!pos || !ksize || !pgid) return std::nullopt;
  auto key = SubSpan(page, uint64_t{at} + *pos, *ksize);
  if (!key) return std::nullopt;
  return BranchElement{*key, *pgid};
}

std::optional<LeafElement> DecodeLeafElement(ByteSpan page, uint16_t i) {
  const size_t at = kPageHeaderSize + size_t{i} * kElementSize;
  auto flags = LoadLE<uint32_t>(page, at);
  auto pos = LoadLE<uint32_t>(page, at + 4);
  auto ksize = LoadLE<uint32_t>(page, at + 8);
  auto vsize = LoadLE<uint32_t>(page, at + 12);
  if (!flags || !pos || !ksize || !vsize) return std::nullopt;
  auto key = SubSpan(page, uint64_t{at} + *pos, *ksize);
  auto value = SubSpan(page, uint64_t{at} + *pos + *ksize, *vsize);
  if (!key || !value) return std::nullopt;
  return LeafElement{*flags, *key, *value};
}

ElementLayout CheckElementLayout(ByteSpan page, const PageHeader& header) {
  ElementLayout out;
  const bool branch = header.flags == kBranchPageFlag;
  const uint64_t headers_end = kPageHeaderSize + uint64_t{header.count} * kElementSize;
  struct Range {
    uint64_t begin, end;
    uint16_t i;
  };
  // Element i's key/value bytes; nullopt if they leave the page.
  auto range = [&](uint16_t i) -> std::optional<Range> {
    const size_t at = kPageHeaderSize + size_t{i} * kElementSize;
    const uint64_t pos = *LoadLE<uint32_t>(page, at + (branch ? 0 : 4));
    const uint64_t ksize = *LoadLE<uint32_t>(page, at + (branch ? 4 : 8));
    const uint64_t vsize = branch ? 0 : *LoadLE<uint32_t>(page, at + 12);
    const uint64_t begin = at + pos, end = begin + ksize + vsize;  // < 2^35: no overflow
    if (end > page.size()) return std::nullopt;
    return Range{begin, end, i};
  };
  // The common case, one pass: every element where bbolt puts it.
  uint16_t inside = header.count;
  uint64_t expected = headers_end;
  for (uint16_t i = 0; i < header.count; ++i) {
    auto r = range(i);
    if (!r) {
      inside = i;
      break;
    }
    const bool placed = i == 0 ? r->begin >= headers_end : r->begin == expected;
    if (!placed && out.problem == ElementLayout::Problem::kNone) {
      out.problem = ElementLayout::Problem::kGap;
      out.element = i;
      out.begin = r->begin;
      out.end = r->end;
      out.expected = expected;
    }
    expected = r->end;
  }
  if (out.problem == ElementLayout::Problem::kNone) return out;

  // Something is misplaced: find what it overlaps, and whether any two
  // elements overlap at all (sorting is fine here, it is damage).
  std::vector<Range> ranges;
  for (uint16_t i = 0; i < inside; ++i) {
    if (auto r = range(i); r && r->end > r->begin) ranges.push_back(*r);
  }
  auto overlap = [](const Range& a, const Range& b) { return a.begin < b.end && b.begin < a.end; };
  if (out.begin < headers_end) {
    out.problem = ElementLayout::Problem::kOverlapsHeaders;
  } else if (out.end > out.begin) {
    for (const Range& r : ranges) {  // ascending index
      if (r.i != out.element && overlap(r, Range{out.begin, out.end, out.element})) {
        out.problem = ElementLayout::Problem::kOverlapsElement;
        out.other = r.i;
        break;
      }
    }
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  uint64_t max_end = headers_end;
  for (const Range& r : ranges) {
    if (r.begin < max_end) out.disjoint = false;
    max_end = std::max(max_end, r.end);
  }
  return out;
}

std::optional<BucketHeader> DecodeBucketHeader(ByteSpan value) {
  auto root = LoadLE<uint64_t>(value, 0);
  auto seq = LoadLE<uint64_t>(value, 8);
  if (!root || !seq) return std::nullopt;
  return BucketHeader{*root, *seq};
}

}  // namespace zb::bolt
