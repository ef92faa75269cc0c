// ChainState: what the backup host keeps per target to compute the next
// incremental snapshot without reading the target (which it cannot: the
// objects are encrypted to keys it does not hold). The keyed hash of every
// page of the chain head's image, the key, and enough to tell whether the
// state still describes that target's head (docs/incremental.md).
//
// The file: "ZBCHAIN1\n", one line of JSON (the fields below but the
// hashes), "\n", the hashes (16 bytes per page, in page order), and the
// SHA-256 of everything before it. Any doubt about a state file (torn,
// damaged, another version's) makes the next backup a full one, so
// decoding is strict and says why it refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "repo/page_hasher.h"

namespace zb::repo {

struct ChainState {
  std::string db;                    // the DB's path
  std::string target;                // the target, as Backend::Describe() says it
  std::string head_id;               // the snapshot the hashes describe
  std::string head_manifest_sha256;  // of its manifest's text, as stored
  uint32_t page_size = 0;
  PageHashKey key{};
  std::vector<PageHash> hashes;  // one per page of the head's image
  // With Object Lock: every object the head lists is locked at least until
  // then (Unix seconds; 0: not known to be locked). Lets a run re-lock a
  // chain's shared objects only when their lock nears its end.
  int64_t locked_until = 0;
  bool operator==(const ChainState&) const = default;
};

// The tag the names of a chain's objects carry (snapshot_id.h): 16 hex
// digits of a hash of its key, so a new chain has a new tag and the tag
// says nothing of the key.
std::string ChainTag(const PageHashKey& key);

std::string EncodeChainState(const ChainState& s);
// kCorruption saying what is wrong; never believes a count the file's
// real size does not back.
Result<ChainState> DecodeChainState(std::string_view bytes);

// The pages of an image whose hashes are `now` that a pack must hold to
// turn the image whose hashes are `before` into it: those that differ and
// those past the end of `before`. Ascending.
std::vector<uint64_t> ChangedPages(const std::vector<PageHash>& before,
                                   const std::vector<PageHash>& now);

}  // namespace zb::repo
