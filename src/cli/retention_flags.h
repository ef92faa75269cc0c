// The retention options shared by `backup` and `prune`: --keep-last ...
// --keep-yearly, --keep-within and --tz, each with its ZITI_CTRL_BACKUP_*
// variable; a malformed value names both.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/civil_time.h"
#include "base/duration.h"
#include "retention/policy.h"

namespace zb::cli {

struct RetentionArgs {
  std::string last = "3", hourly = "24", daily = "7", weekly = "4", monthly = "12", yearly = "0";
  std::string within;
  std::string tz = "UTC";
};

void AddRetentionFlags(CLI::App* cmd, RetentionArgs& a);
// A validated policy (a policy that keeps nothing is refused).
Result<retention::Policy> ParseRetention(const RetentionArgs& a);
Result<Zone> ParseZone(const RetentionArgs& a);

// A target's own retention from the keep-* options of its URL
// (store::TargetUrl::retention): exactly those counts, the others 0, so
// "?keep-daily=7" keeps 7 daily snapshots and nothing else. nullopt when
// the URL has none (the target follows the flags). Validated as the flags
// are; errors name the option and the value.
Result<std::optional<retention::Policy>> TargetRetention(
    const std::vector<std::pair<std::string, std::string>>& options);

// A whole number 0..999999 from a flag / variable value, or BadValue.
Result<int> ParseCount(const std::string& flag, const std::string& var, const std::string& value);

// A duration from min to max (at most kMaxDuration: 100 years), or BadValue
// "want 1s to 24h" / ParseDuration's reason.
Result<Duration> ParseDurationValue(const std::string& flag, const std::string& var,
                                    const std::string& value, Duration min, Duration max);

// "invalid --flag / VARIABLE value "v": why" ("invalid --flag value ..."
// for a flag without a variable).
Status BadValue(const std::string& flag, const std::string& var, const std::string& value,
                const std::string& why);

}  // namespace zb::cli
