#include "app/config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "app/yaml_nesting.h"

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
                                                 "AGE_RECIPIENTS",
                                                 "AGE_RECIPIENTS_FILE",
                                                 "AGE_IDENTITY_FILE",
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
                                                 "CRONTAB",
                                                 "GRACE",
                                                 "METRICS_ADDR",
                                                 "METRICS_FILE",
                                                 "MAX_AGE",
                                                 "INCREMENTAL",
                                                 "STATE_DIR"};
  return kVars;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadConfigFile(Env& env,
                                                                        const std::string& path) {
  auto read = ReadSmallFile(env, path, 1 << 20);
  if (!read.ok()) {
    return Status::InvalidArgument("config file (--config / ZITI_CTRL_BACKUP_CONFIG) " +
                                   read.status().message());
  }
  const std::string& text = *read;
  if (Status s = CheckYamlNesting(text); !s.ok()) {
    return Status::InvalidArgument("config file " + path + " is " + s.message());
  }
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
      } else if (kv.second.IsSequence() && (upper == "TARGETS" || upper == "AGE_RECIPIENTS")) {
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
