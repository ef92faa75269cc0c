// Meta fallback: the DB's newest meta page is damaged, so its image is the
// transaction before (what bbolt itself would open; bolt::DetectMetaFallback
// says when that is the case). A snapshot of that older transaction is kept
// but reported (snapshot::Image::meta_fallback); a fallback to the empty DB
// bbolt starts with, in a file that has commits, is refused: it would store
// an empty DB in place of the data. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "bolt/meta.h"

namespace zb::snapshot {

// The fallback `choice` (read from `path`, `file_pages` pages long) makes,
// if any; kCorruption naming both txids and the path if it falls back to
// the initial empty DB.
Result<std::optional<bolt::MetaFallback>> CheckMetaFallback(const std::string& path,
                                                            const bolt::MetaChoice& choice,
                                                            uint64_t file_pages);

// "meta page 1 (txid 1187) is damaged (checksum mismatch: ...); holds txid 1186"
std::string DescribeMetaFallback(const bolt::MetaFallback& f);

}  // namespace zb::snapshot
