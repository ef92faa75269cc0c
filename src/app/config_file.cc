#include "app/config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace zb::app {

const std::vector<std::string>& ConfigurableVariables() {
  static const std::vector<std::string> kVars = {"DB",
                                                 "CTRL_CONFIG",
                                                 "TARGETS",
                                                 "METHOD",
                                                 "AGENT_COMMAND",
                                                 "AGENT_TIMEOUT",
                                                 "COMPRESS",
                                                 "ZSTD_LEVEL",
                                                 "KEEP_LAST",
                                                 "KEEP_HOURLY",
                                                 "KEEP_DAILY",
                                                 "KEEP_WEEKLY",
                                                 "KEEP_MONTHLY",
                                                 "KEEP_YEARLY",
                                                 "KEEP_WITHIN",
                                                 "LOG_FORMAT",
                                                 "TZ",
                                                 "SCHEDULE",
                                                 "CRONTAB"};
  return kVars;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadConfigFile(Env& env,
                                                                        const std::string& path) {
  auto file = env.OpenForRead(path);
  if (!file.ok()) {
    return Status::InvalidArgument("config file (--config / ZITI_CTRL_BACKUP_CONFIG) " +
                                   file.status().message());
  }
  ZB_ASSIGN_OR_RETURN(uint64_t size, (*file)->Size());
  std::string text(static_cast<size_t>(std::min<uint64_t>(size, 1 << 20)), '\0');
  ZB_RETURN_IF_ERROR((*file)->ReadExactly(
      0, MutableByteSpan(reinterpret_cast<std::byte*>(text.data()), text.size())));
  std::vector<std::pair<std::string, std::string>> out;
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root || root.IsNull()) return out;
    if (!root.IsMap()) {
      return Status::InvalidArgument("config file " + path + ": expected key: value lines");
    }
    for (const auto& kv : root) {
      const std::string key = kv.first.as<std::string>();
      std::string upper = key;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const auto& known = ConfigurableVariables();
      if (std::find(known.begin(), known.end(), upper) == known.end()) {
        return Status::InvalidArgument("config file " + path + ": unknown key \"" + key +
                                       "\" (keys are the ZITI_CTRL_BACKUP_* variables without "
                                       "the prefix, in lower case, e.g. keep_daily)");
      }
      std::string value;
      if (kv.second.IsScalar()) {
        value = kv.second.as<std::string>();
      } else if (kv.second.IsSequence() && upper == "TARGETS") {
        for (const auto& t : kv.second) value += (value.empty() ? "" : " ") + t.as<std::string>();
      } else {
        return Status::InvalidArgument("config file " + path + ": \"" + key +
                                       "\" must be a single value");
      }
      out.emplace_back("ZITI_CTRL_BACKUP_" + upper, value);
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("config file " + path + " is not valid YAML: " + e.what());
  }
  return out;
}

}  // namespace zb::app
