// ZitiSummary: what an OpenZiti controller DB holds, read from its layout:
// root bucket "ziti", one nested bucket per record under ziti/<entity type>,
// and ziti/metadata holding raftIndex (boltz int64: type byte 3, then 8 bytes
// little-endian) and clusterId (boltz string: type byte 5, then the bytes).
// Collected as a TreeVisitor during the check's walk. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "bolt/walk.h"

namespace zb::bolt {

struct ZitiSummary {
  std::optional<int64_t> raft_index;
  std::optional<std::string> cluster_id;
  // Records per entity type, e.g. "identities" -> 120. Every bucket under
  // "ziti" except "metadata", "indexes" and "versions" is listed.
  std::map<std::string, uint64_t> entities;
};

// The entity types `inspect` always names, in the order it names them.
inline constexpr const char* kZitiHeadlineEntities[] = {
    "identities", "services", "routers", "servicePolicies", "edgeRouterPolicies", "configs"};

class ZitiCollector final : public TreeVisitor {
 public:
  void EnterBucket(const BucketPath& path, const BucketHeader& header) override;
  void Key(const BucketPath& path, ByteSpan key, ByteSpan value) override;

  // nullopt unless the DB has a top-level "ziti" bucket.
  std::optional<ZitiSummary> summary() const;

 private:
  bool seen_ = false;
  ZitiSummary summary_;
};

}  // namespace zb::bolt
