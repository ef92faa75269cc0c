// The `snapshot.meta_fallback` warning that `snapshot` and `backup` log when
// the DB's newest meta page was damaged and the snapshot holds the
// transaction before it (snapshot/meta_fallback.h).
#pragma once

#include <string>

#include "app/log.h"
#include "bolt/meta.h"

namespace zb::app {

inline constexpr const char* kMetaFallbackEvent = "snapshot.meta_fallback";

// db, damaged_meta_page, damaged_txid, used_txid, reason.
Log::Fields MetaFallbackFields(const std::string& db, const bolt::MetaFallback& f);

}  // namespace zb::app
