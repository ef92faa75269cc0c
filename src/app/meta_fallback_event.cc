#include "app/meta_fallback_event.h"

namespace zb::app {

Log::Fields MetaFallbackFields(const std::string& db, const bolt::MetaFallback& f) {
  return {{"db", db},
          {"damaged_meta_page", std::to_string(f.damaged_slot)},
          {"damaged_txid", std::to_string(f.damaged_txid)},
          {"used_txid", std::to_string(f.used_txid)},
          {"reason", f.reason}};
}

}  // namespace zb::app
