#include "retention/policy.h"

namespace zb::retention {

std::string Policy::ToString() const {
  std::string out;
  auto add = [&](const char* name, int n) {
    if (n == 0) return;
    out += (out.empty() ? "" : ", ") + std::string(name) + " " + std::to_string(n);
  };
  add("last", last);
  add("hourly", hourly);
  add("daily", daily);
  add("weekly", weekly);
  add("monthly", monthly);
  add("yearly", yearly);
  if (within > Duration::zero())
    out += (out.empty() ? "" : ", ") + ("within " + FormatDuration(within));
  return out.empty() ? "nothing" : out;
}

Status Validate(const Policy& p) {
  const std::pair<const char*, int> counts[] = {
      {"keep-last", p.last},     {"keep-hourly", p.hourly},   {"keep-daily", p.daily},
      {"keep-weekly", p.weekly}, {"keep-monthly", p.monthly}, {"keep-yearly", p.yearly}};
  for (const auto& [name, n] : counts) {
    if (n < 0) {
      return Status::InvalidArgument(std::string(name) + " is " + std::to_string(n) +
                                     "; it must be 0 or more");
    }
  }
  if (p.within < Duration::zero()) return Status::InvalidArgument("keep-within is negative");
  if (p.last == 0 && p.hourly == 0 && p.daily == 0 && p.weekly == 0 && p.monthly == 0 &&
      p.yearly == 0 && p.within == Duration::zero()) {
    return Status::InvalidArgument(
        "the retention policy keeps nothing (every keep-* is 0 and keep-within is unset); "
        "set at least one, e.g. keep-last 3");
  }
  return Status::OK();
}

}  // namespace zb::retention
