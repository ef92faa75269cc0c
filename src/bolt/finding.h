// Finding: one structural problem in a bbolt file, always tied to a page id,
// as bbolt's Tx.Check reports them ("page 12: multiple references").
// Value type; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "bolt/page.h"

namespace zb::bolt {

enum class FindingKind {
  kInvalidMeta,         // a meta page fails magic/version/checksum or names impossible pages
  kBeyondHighWater,     // a page id at or past the meta's high-water mark
  kTruncated,           // the file ends inside pages the meta says are in use
  kReachedTwice,        // a page referenced from two places (or a cycle)
  kUnreachableUnfreed,  // below the high-water mark, neither reachable nor free
  kFreedButReachable,   // in the freelist and reachable from the tree
  kFreedTwice,          // listed twice in the freelist
  kBadFreelist,         // the freelist page itself is unusable or lists impossible ids
  kWrongType,           // a page of the wrong type where a branch/leaf/freelist was expected
  kIdMismatch,          // a page header names another page id
  kBadElement,          // an element, key or value lies outside its page
  kKeyOrder,            // keys not strictly ascending, or outside the parent's range
  kBadBucket,           // a bucket value too short to hold a bucket header
  kTooDeep,             // nesting past the walker's depth limit (a cycle in disguise)
  // Beyond bbolt's own Check:
  kOverlappingElements,    // an element's key/value overlaps the headers or another element's
  kNoncontiguousElements,  // key/values not back to back in element order, as bbolt writes them
  kUnknownFlags,           // page, leaf element or meta flag bits bbolt does not define
};

// "invalid-meta", "beyond-high-water", ... (stable: used in --json output).
std::string_view FindingKindName(FindingKind kind);

struct Finding {
  FindingKind kind;
  Pgid page = 0;
  std::string detail;  // what is wrong, without the "page N: " prefix

  // "page 12: multiple references (from page 9)"
  std::string ToString() const { return "page " + std::to_string(page) + ": " + detail; }
  bool operator==(const Finding&) const = default;
};

}  // namespace zb::bolt
