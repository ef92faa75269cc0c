#include "bolt/ziti_summary.h"

namespace zb::bolt {
namespace {

constexpr uint8_t kBoltzInt64 = 3;
constexpr uint8_t kBoltzString = 5;

bool IsZitiPath(const BucketPath& path, size_t n) { return path.size() == n && path[0] == "ziti"; }

// Buckets under "ziti" that hold no entities: the controller's metadata,
// its secondary indexes and its schema versions.
bool IsEntityType(const std::string& name) {
  return name != "metadata" && name != "indexes" && name != "versions";
}

}  // namespace

void ZitiCollector::EnterBucket(const BucketPath& path, const BucketHeader& header) {
  if (IsZitiPath(path, 1)) seen_ = true;
  if (IsZitiPath(path, 2) && IsEntityType(path[1])) summary_.entities.try_emplace(path[1], 0);
  if (IsZitiPath(path, 3) && IsEntityType(path[1])) ++summary_.entities[path[1]];
}

void ZitiCollector::Key(const BucketPath& path, ByteSpan key, ByteSpan value) {
  if (!IsZitiPath(path, 2) || path[1] != "metadata" || value.empty()) return;
  const std::string_view name(reinterpret_cast<const char*>(key.data()), key.size());
  const auto type = std::to_integer<uint8_t>(value[0]);
  if (name == "raftIndex" && type == kBoltzInt64) {
    if (auto v = LoadLE<uint64_t>(value, 1); v && value.size() == 9) {
      summary_.raft_index = static_cast<int64_t>(*v);
    }
  } else if (name == "clusterId" && type == kBoltzString) {
    summary_.cluster_id =
        std::string(reinterpret_cast<const char*>(value.data()) + 1, value.size() - 1);
  }
}

std::optional<ZitiSummary> ZitiCollector::summary() const {
  if (!seen_) return std::nullopt;
  return summary_;
}

}  // namespace zb::bolt
