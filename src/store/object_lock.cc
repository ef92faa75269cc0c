#include "store/object_lock.h"

#include "base/duration.h"

namespace zb::store {

std::string_view RetentionModeName(RetentionMode m) {
  return m == RetentionMode::kCompliance ? "COMPLIANCE" : "GOVERNANCE";
}

TimePoint LockPolicy::RetainUntil(TimePoint now) const {
  return std::chrono::ceil<std::chrono::seconds>(now) + duration + margin();
}

std::string LockPolicy::ToString() const {
  return FormatDuration(duration) +
         (mode == RetentionMode::kCompliance ? " compliance" : " governance");
}

Result<std::optional<LockPolicy>> ParseLockPolicy(const TargetUrl& url) {
  const std::string duration = url.Option("object-lock");
  const std::string mode = url.Option("object-lock-mode");
  if (duration.empty()) {
    if (!mode.empty()) {
      return Status::InvalidArgument("object-lock-mode=" + mode +
                                     " needs object-lock=<duration>, e.g. object-lock=30d");
    }
    return std::optional<LockPolicy>();
  }
  LockPolicy p;
  auto d = ParseDuration(duration);
  if (!d.ok()) {
    return Status::InvalidArgument("object-lock=" + duration +
                                   ": not a duration; use e.g. object-lock=30d or 720h");
  }
  if (*d < std::chrono::seconds(1) || *d % std::chrono::seconds(1) != Duration::zero()) {
    return Status::InvalidArgument("object-lock=" + duration +
                                   ": use whole seconds, at least 1s (e.g. 30d)");
  }
  p.duration = std::chrono::duration_cast<std::chrono::seconds>(*d);
  if (mode.empty() || mode == "compliance") {
    p.mode = RetentionMode::kCompliance;
  } else if (mode == "governance") {
    p.mode = RetentionMode::kGovernance;
  } else {
    return Status::InvalidArgument("object-lock-mode=" + mode + ": use compliance or governance");
  }
  return std::optional<LockPolicy>(p);
}

}  // namespace zb::store
