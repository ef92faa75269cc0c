// Durations as operators write them: "500ms", "30s", "15m", "36h", "7d",
// and sums like "1h30m". Parse errors name the text. Pure; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace zb {

using Duration = std::chrono::nanoseconds;

// The longest duration ParseDuration accepts: 100 years (36500d). Far more
// than any timeout, schedule or retention needs, and far from where
// nanoseconds overflow (292 years), so sums and `now - d` stay exact.
inline constexpr Duration kMaxDuration = std::chrono::hours(24 * 36500);

// kInvalidArgument naming the text for anything malformed or longer than
// kMaxDuration.
Result<Duration> ParseDuration(std::string_view text);
// Shortest exact form, e.g. "1h30m", "250ms", "0s".
std::string FormatDuration(Duration d);
// Seconds with 3 decimals, e.g. "1.234s", for logs.
std::string FormatSeconds(Duration d);

}  // namespace zb
