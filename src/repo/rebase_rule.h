// When an incremental backup starts a new chain with a full snapshot
// instead of adding a pack (docs/incremental.md, "Restore, and how the
// chain is bounded"). A restore decodes the base and every pack of the
// chain; packs superseded by newer ones are decoded for nothing. So the
// chain is cut when its packs, in plain bytes, would pass `factor` times
// the base image, or when it would have `max_packs` packs: a pure
// function of what the manifests say, table-tested.
#pragma once

#include <cstdint>
#include <string>

namespace zb::repo {

struct RebaseRule {
  double factor = 1.0;
  uint64_t max_packs = 1000;
};

struct ChainSize {
  uint64_t base_plain = 0;   // the base's image, in bytes
  uint64_t packs_plain = 0;  // the chain's packs so far, in plain bytes
  uint64_t packs = 0;        // how many
};

// Why the next backup must be a full one, or "" when a pack of
// `next_pack_plain` bytes may join the chain.
std::string RebaseReason(const ChainSize& chain, uint64_t next_pack_plain, const RebaseRule& rule);

}  // namespace zb::repo
