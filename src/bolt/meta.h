// The bbolt meta page (internal/common/meta.go): decode, validate in bbolt's
// order (magic, then version, then checksum), pick the latest valid of the
// two, and encode, which a snapshot uses to rewrite both meta pages the way
// bbolt's Tx.WriteTo does. Pure functions; thread-safe.
//
// The meta follows the page header at offset 16:
//   magic u32 | version u32 | page_size u32 | flags u32 | root bucket (pgid u64,
//   sequence u64) | freelist u64 | pgid (high-water mark) u64 | txid u64 |
//   checksum u64 = FNV-1a 64 of the 56 bytes before it.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/result.h"
#include "bolt/page.h"

namespace zb::bolt {

inline constexpr uint32_t kMagic = 0xED0CDAED;
inline constexpr uint32_t kVersion = 2;
inline constexpr size_t kMetaSize = 64;
inline constexpr size_t kMetaChecksumOffset = 56;
// The smallest page that can hold a page header and a meta.
inline constexpr size_t kMinPageBytes = kPageHeaderSize + kMetaSize;

struct Meta {
  uint32_t magic = 0;
  uint32_t version = 0;
  uint32_t page_size = 0;
  uint32_t flags = 0;
  BucketHeader root;
  Pgid freelist = 0;
  Pgid pgid = 0;  // high-water mark: pages [0, pgid) are in the file's image
  Txid txid = 0;
  uint64_t checksum = 0;

  bool operator==(const Meta&) const = default;
};

uint64_t Fnv1a64(ByteSpan data);

// Decodes the meta inside a page (header included). nullopt if too short.
std::optional<Meta> DecodeMeta(ByteSpan page);
// The checksum bbolt would compute for `m`.
uint64_t MetaChecksum(const Meta& m);
// Ok, or kCorruption "invalid magic 0x...", "version N is not 2",
// "checksum mismatch: stored 0x..., computed 0x...".
Status ValidateMeta(const Meta& m);

struct MetaChoice {
  Meta meta;
  int slot = 0;  // 0 or 1: which meta page it came from
  // The other slot as decoded (nullopt if its page was too short) and why
  // it fails validation (ok if it is valid).
  std::optional<Meta> other;
  Status other_invalid;
};
// bbolt's rule (db.go meta()): the valid meta with the higher txid; if that
// one is invalid, the other. kCorruption naming both failures if neither is
// valid.
Result<MetaChoice> PickLatest(ByteSpan page0, ByteSpan page1);

// bbolt fell back from a damaged meta page to an older transaction.
struct MetaFallback {
  int damaged_slot = 0;
  Txid damaged_txid = 0;  // what the damaged meta page claims
  Txid used_txid = 0;     // the transaction in the chosen meta
  std::string reason;     // why the damaged one fails validation
  // The chosen meta is the empty DB bbolt starts with (txids 0 and 1) while
  // the file has commits: using it would back up nothing in place of data.
  bool initial_db = false;
};

// Whether `choice` is such a fallback, in a file of `file_pages` pages. The
// other slot counts as the damaged newer meta when it fails validation and
// its txid is higher than the chosen one (bbolt's own fallback), or when the
// chosen meta is one of the initial two (txid 0 or 1) while the file has
// commits (more than its 4 initial pages, or the damaged meta claims txid
// 2 or more): then the damage may have hit the txid itself. An invalid slot
// that is older (txid lower, and the chosen one is not initial) is not a
// fallback: the chosen meta is the newest commit. Pure.
std::optional<MetaFallback> DetectMetaFallback(const MetaChoice& choice, uint64_t file_pages);

// Writes a whole meta page into `page` (zeroed first): header {id, meta flag},
// the meta with its checksum recomputed. REQUIRES: page.size() >= kMinPageBytes.
void EncodeMetaPage(Meta m, Pgid id, MutableByteSpan page);

}  // namespace zb::bolt
