#include "bolt/page.h"

#include <cstdio>

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

std::optional<BucketHeader> DecodeBucketHeader(ByteSpan value) {
  auto root = LoadLE<uint64_t>(value, 0);
  auto seq = LoadLE<uint64_t>(value, 8);
  if (!root || !seq) return std::nullopt;
  return BucketHeader{*root, *seq};
}

}  // namespace zb::bolt
