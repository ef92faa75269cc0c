#include "base/duration.h"

#include <cstdio>

namespace zb {
namespace {

struct Unit {
  std::string_view name;
  Duration size;
};
constexpr Unit kUnits[] = {
    {"d", std::chrono::hours(24)},        {"h", std::chrono::hours(1)},
    {"ms", std::chrono::milliseconds(1)}, {"m", std::chrono::minutes(1)},
    {"s", std::chrono::seconds(1)},
};

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("invalid duration \"" + std::string(text) + "\": " +
                                   std::string(why) + " (examples: 30s, 15m, 36h, 7d, 1h30m)");
  };
  if (text.empty()) return bad("empty");
  Duration total{0};
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return bad("expected a number");
    uint64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + static_cast<uint64_t>(text[i] - '0');
      if (n > 1'000'000'000) return bad("number too large");
      ++i;
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(i, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return bad(i == text.size() ? "missing unit" : "unknown unit");
    i += unit->name.size();
    // Nanoseconds in an int64 end after ~292 years; past that the sum would
    // wrap (UB) into some short or negative duration.
    if (static_cast<int64_t>(n) > (Duration::max() - total) / unit->size) {
      return bad("too long (at most 106751d)");
    }
    total += unit->size * static_cast<int64_t>(n);
  }
  return total;
}

std::string FormatDuration(Duration d) {
  if (d == Duration::zero()) return "0s";
  std::string out;
  for (const Unit& u : kUnits) {
    if (u.name == "ms") continue;  // handled last so "1m" is not read as "1ms"
    if (auto n = d / u.size; n > 0) {
      out += std::to_string(n) + std::string(u.name);
      d -= u.size * n;
    }
  }
  if (auto ms = d / std::chrono::milliseconds(1); ms > 0) out += std::to_string(ms) + "ms";
  return out.empty() ? "0s" : out;
}

std::string FormatSeconds(Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fs", std::chrono::duration<double>(d).count());
  return buf;
}

}  // namespace zb
