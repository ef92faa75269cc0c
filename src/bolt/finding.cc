#include "bolt/finding.h"

namespace zb::bolt {

std::string_view FindingKindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kInvalidMeta:
      return "invalid-meta";
    case FindingKind::kBeyondHighWater:
      return "beyond-high-water";
    case FindingKind::kTruncated:
      return "truncated";
    case FindingKind::kReachedTwice:
      return "reached-twice";
    case FindingKind::kUnreachableUnfreed:
      return "unreachable-unfreed";
    case FindingKind::kFreedButReachable:
      return "freed-but-reachable";
    case FindingKind::kFreedTwice:
      return "freed-twice";
    case FindingKind::kBadFreelist:
      return "bad-freelist";
    case FindingKind::kWrongType:
      return "wrong-type";
    case FindingKind::kIdMismatch:
      return "id-mismatch";
    case FindingKind::kBadElement:
      return "bad-element";
    case FindingKind::kKeyOrder:
      return "key-order";
    case FindingKind::kBadBucket:
      return "bad-bucket";
    case FindingKind::kTooDeep:
      return "too-deep";
    case FindingKind::kOverlappingElements:
      return "overlapping-elements";
    case FindingKind::kNoncontiguousElements:
      return "noncontiguous-elements";
    case FindingKind::kUnknownFlags:
      return "unknown-flags";
  }
  return "unknown";
}

}  // namespace zb::bolt
