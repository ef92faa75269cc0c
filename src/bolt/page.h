// The bbolt page format (go.etcd.io/bbolt internal/common/page.go), decoded
// from byte spans with bounds checks. Nothing here trusts a count, offset,
// length or page id read from the file: a decode that would leave the span
// returns nullopt. Pure functions; thread-safe.
//
// Layout: every page starts with a 16-byte header
//   id u64 | flags u16 | count u16 | overflow u32
// A branch page holds `count` 16-byte elements  pos u32 | ksize u32 | pgid u64
// A leaf page holds `count` 16-byte elements    flags u32 | pos u32 | ksize u32 | vsize u32
// where pos is relative to the element's own offset. A leaf element with the
// bucket flag holds a bucket header (root pgid u64 | sequence u64); root 0
// means an inline bucket whose page follows the header inside the value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"

namespace zb::bolt {

using Pgid = uint64_t;
using Txid = uint64_t;

inline constexpr size_t kPageHeaderSize = 16;
inline constexpr size_t kElementSize = 16;  // branch and leaf elements alike
inline constexpr size_t kBucketHeaderSize = 16;
inline constexpr uint16_t kBranchPageFlag = 0x01;
inline constexpr uint16_t kLeafPageFlag = 0x02;
inline constexpr uint16_t kMetaPageFlag = 0x04;
inline constexpr uint16_t kFreelistPageFlag = 0x10;
inline constexpr uint32_t kBucketLeafFlag = 0x01;
// Every page flag bit bbolt defines; any other bit is damage.
inline constexpr uint16_t kKnownPageFlags =
    kBranchPageFlag | kLeafPageFlag | kMetaPageFlag | kFreelistPageFlag;
// A meta's freelist pgid when the freelist is not persisted (NoFreelistSync).
inline constexpr Pgid kNoFreelist = ~Pgid{0};
// A freelist page's count saturates at this value; the real count is then
// the first u64 of the page body.
inline constexpr uint16_t kFreelistCountOverflow = 0xFFFF;

struct PageHeader {
  Pgid id = 0;
  uint16_t flags = 0;
  uint16_t count = 0;
  uint32_t overflow = 0;
};

// REQUIRES nothing: returns nullopt if `page` is shorter than a header.
std::optional<PageHeader> DecodePageHeader(ByteSpan page);
void EncodePageHeader(const PageHeader& h, MutableByteSpan page);  // REQUIRES: size >= 16

// "branch", "leaf", "meta", "freelist" for exactly those flag values (as
// bbolt v1.5 compares them), else "unknown<hex>".
std::string PageTypeName(uint16_t flags);

struct BranchElement {
  ByteSpan key;
  Pgid child = 0;
};

struct LeafElement {
  uint32_t flags = 0;
  ByteSpan key;
  ByteSpan value;
  bool is_bucket() const { return (flags & kBucketLeafFlag) != 0; }
};

// Decode element i of a branch/leaf page. `page` is the page including its
// overflow pages (or an inline bucket's page). nullopt if the element or its
// key/value would lie outside `page`.
std::optional<BranchElement> DecodeBranchElement(ByteSpan page, uint16_t i);
std::optional<LeafElement> DecodeLeafElement(ByteSpan page, uint16_t i);

// Where the elements of a branch or leaf page keep their keys and values.
// bbolt writes them back to back in element order (WriteInodeToPage), the
// first after the element headers; its `surgery clear-page-elements` may
// leave a gap before the first one (it lowers the count and keeps the data),
// never between two. A problem names the first element whose key/value
// bytes are not where bbolt puts them: overlapping the element headers or
// another element's bytes, or not right after the element before it.
struct ElementLayout {
  enum class Problem { kNone, kOverlapsHeaders, kOverlapsElement, kGap };
  Problem problem = Problem::kNone;
  uint16_t element = 0;         // the first misplaced element
  uint16_t other = 0;           // kOverlapsElement: the element it overlaps
  uint64_t begin = 0, end = 0;  // its key/value bytes [begin, end) in the page
  uint64_t expected = 0;        // kGap: where bbolt would have put them
  // Whether the elements' key/value bytes are pairwise disjoint (and clear of
  // the headers), so that visiting them all reads each byte at most once:
  // overlapping elements could make a walk compare the same bytes once per
  // element. Elements that leave the page are not looked at (the walk
  // reports them when it reaches them).
  bool disjoint = true;
};
// REQUIRES: header.count elements fit in `page` (16 + 16 * count <= size).
ElementLayout CheckElementLayout(ByteSpan page, const PageHeader& header);

struct BucketHeader {
  Pgid root = 0;  // 0: inline bucket
  uint64_t sequence = 0;
  bool operator==(const BucketHeader&) const = default;
};
std::optional<BucketHeader> DecodeBucketHeader(ByteSpan value);
// The page stored inside an inline bucket's value (after its header).
inline ByteSpan InlinePage(ByteSpan value) {
  return value.size() > kBucketHeaderSize ? value.subspan(kBucketHeaderSize) : ByteSpan{};
}

}  // namespace zb::bolt
