#include "fuzz/entries.h"

namespace zb::fuzz {

std::span<const Target> Targets() {
  static const Target kTargets[] = {
      {"bolt_check", BoltCheck},   {"manifest", Manifest},    {"cron", Cron},
      {"ctrl_config", CtrlConfig}, {"target_url", TargetUrl}, {"stored_object", StoredObject},
      {"age_decrypt", AgeDecrypt},
  };
  return kTargets;
}

}  // namespace zb::fuzz
