#include "cli/retention_flags.h"

#include "base/duration.h"

namespace zb::cli {
namespace {

struct Keep {
  const char* word;  // LAST, HOURLY, ...
  std::string RetentionArgs::*arg;
  int retention::Policy::*field;
  const char* help;
};

constexpr Keep kKeeps[] = {
    {"LAST", &RetentionArgs::last, &retention::Policy::last, "Keep the N newest snapshots"},
    {"HOURLY", &RetentionArgs::hourly, &retention::Policy::hourly,
     "Keep the newest of each of the N most recent hours that have one"},
    {"DAILY", &RetentionArgs::daily, &retention::Policy::daily, "Likewise for days"},
    {"WEEKLY", &RetentionArgs::weekly, &retention::Policy::weekly, "Likewise for ISO weeks"},
    {"MONTHLY", &RetentionArgs::monthly, &retention::Policy::monthly, "Likewise for months"},
    {"YEARLY", &RetentionArgs::yearly, &retention::Policy::yearly, "Likewise for years"},
};

std::string FlagOf(const char* word) {
  std::string flag = std::string("--keep-") + word;
  for (auto& c : flag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return flag;
}

}  // namespace

Status BadValue(const std::string& flag, const std::string& var, const std::string& value,
                const std::string& why) {
  return Status::InvalidArgument("invalid " + flag + (var.empty() ? "" : " / " + var) +
                                 " value \"" + value + "\": " + why);
}

Result<Duration> ParseDurationValue(const std::string& flag, const std::string& var,
                                    const std::string& value, Duration min, Duration max) {
  auto d = ParseDuration(value);
  if (!d.ok()) return BadValue(flag, var, value, d.status().message());
  if (*d < min || *d > max) {
    return BadValue(flag, var, value, "want " + FormatDuration(min) + " to " + FormatDuration(max));
  }
  return *d;
}

Result<int> ParseCount(const std::string& flag, const std::string& var, const std::string& v) {
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) {
    return BadValue(flag, var, v, "want a whole number from 0 to 999999");
  }
  return std::stoi(v);
}

void AddRetentionFlags(CLI::App* cmd, RetentionArgs& a) {
  for (const Keep& k : kKeeps) {
    cmd->add_option(FlagOf(k.word), a.*k.arg, k.help)
        ->envname(std::string("ZITI_CTRL_BACKUP_KEEP_") + k.word)
        ->capture_default_str();
  }
  cmd->add_option("--keep-within", a.within,
                  "Keep everything newer than the newest snapshot minus this (36h, 7d)")
      ->envname("ZITI_CTRL_BACKUP_KEEP_WITHIN");
  cmd->add_option("--tz", a.tz, "Time zone of retention periods")
      ->envname("ZITI_CTRL_BACKUP_TZ")
      ->capture_default_str();
}

Result<retention::Policy> ParseRetention(const RetentionArgs& a) {
  retention::Policy p;
  for (const Keep& k : kKeeps) {
    ZB_ASSIGN_OR_RETURN(
        p.*k.field,
        ParseCount(FlagOf(k.word), std::string("ZITI_CTRL_BACKUP_KEEP_") + k.word, a.*k.arg));
  }
  if (!a.within.empty()) {
    ZB_ASSIGN_OR_RETURN(
        p.within, ParseDurationValue("--keep-within", "ZITI_CTRL_BACKUP_KEEP_WITHIN", a.within,
                                     Duration::zero(), kMaxDuration));
  }
  ZB_RETURN_IF_ERROR(retention::Validate(p));
  return p;
}

Result<std::optional<retention::Policy>> TargetRetention(
    const std::vector<std::pair<std::string, std::string>>& options) {
  if (options.empty()) return std::optional<retention::Policy>();
  retention::Policy p{0, 0, 0, 0, 0, 0, Duration{0}};
  for (const auto& [name, value] : options) {
    if (name == "keep-within") {
      ZB_ASSIGN_OR_RETURN(p.within,
                          ParseDurationValue(name, "", value, Duration::zero(), kMaxDuration));
      continue;
    }
    bool known = false;
    for (const Keep& k : kKeeps) {
      if (FlagOf(k.word) == "--" + name) {
        ZB_ASSIGN_OR_RETURN(p.*k.field, ParseCount(name, "", value));
        known = true;
      }
    }
    if (!known) return Status::InvalidArgument("unknown retention option \"" + name + "\"");
  }
  ZB_RETURN_IF_ERROR(retention::Validate(p));
  return std::optional<retention::Policy>(p);
}

Result<Zone> ParseZone(const RetentionArgs& a) {
  auto zone = Zone::Load(a.tz);
  if (!zone.ok()) return BadValue("--tz", "ZITI_CTRL_BACKUP_TZ", a.tz, zone.status().message());
  return zone;
}

}  // namespace zb::cli
