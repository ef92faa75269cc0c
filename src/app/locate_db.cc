#include "app/locate_db.h"

#include <yaml-cpp/yaml.h>

#include "app/yaml_nesting.h"
#include "base/stream.h"

namespace zb::app {

std::string ExpandVariables(const std::string& text, const GetEnv& getenv) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i++];
      continue;
    }
    size_t start = i + 1, end;
    std::string name;
    if (text[start] == '{') {
      end = text.find('}', start);
      if (end == std::string::npos) {
        out += text.substr(i);
        break;
      }
      name = text.substr(start + 1, end - start - 1);
      ++end;
    } else {
      end = start;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
        ++end;
      }
      name = text.substr(start, end - start);
      if (name.empty()) {
        out += text[i++];
        continue;
      }
    }
    out += getenv(name).value_or("");
    i = end;
  }
  return out;
}

std::vector<std::string> ControllerConfigCandidates(const std::string& ctrl_config_flag,
                                                    const GetEnv& getenv) {
  if (!ctrl_config_flag.empty()) return {ctrl_config_flag};
  auto home = getenv("ZITI_HOME");
  if (!home || home->empty()) return {};
  std::vector<std::string> paths;
  for (const char* name : kControllerConfigNames) paths.push_back(*home + "/" + name);
  return paths;
}

std::optional<std::string> FirstPresent(Env& env, const std::vector<std::string>& candidates) {
  for (const std::string& c : candidates) {
    if (env.Stat(c).status().code() != Code::kNotFound) return c;
  }
  return std::nullopt;
}

Result<std::string> LocateDb(Env& env, const std::string& db_flag,
                             const std::string& ctrl_config_flag, const GetEnv& getenv) {
  if (!db_flag.empty()) return db_flag;
  std::string tried = "--db / ZITI_CTRL_BACKUP_DB is not set";
  const std::vector<std::string> candidates = ControllerConfigCandidates(ctrl_config_flag, getenv);
  if (candidates.empty()) {
    return Status::InvalidArgument(
        "cannot find the DB: " + tried +
        "; no controller config (--ctrl-config / ZITI_CTRL_BACKUP_CTRL_CONFIG is not set, nor "
        "ZITI_HOME to look for a config in)");
  }
  // With only ZITI_HOME, the first known name that is there; none there is
  // an error listing every name tried.
  std::string config = candidates.front();
  if (candidates.size() > 1) {
    const std::optional<std::string> present = FirstPresent(env, candidates);
    if (!present) {
      std::string names;
      for (const char* name : kControllerConfigNames)
        names += (names.empty() ? "" : ", ") + std::string(name);
      return Status::InvalidArgument(
          "cannot find the DB: " + tried + "; no controller config in $ZITI_HOME (" +
          DirName(candidates.front()) + "): tried " + names +
          " (name it with --ctrl-config / ZITI_CTRL_BACKUP_CTRL_CONFIG)");
    }
    config = *present;
  }
  auto read = ReadSmallFile(env, config, kMaxControllerConfigBytes);
  if (!read.ok()) {
    return Status::InvalidArgument("cannot find the DB: " + tried + "; controller config " +
                                   config + ": " + read.status().message());
  }
  const std::string& text = *read;
  if (Status s = CheckYamlNesting(text); !s.ok()) {
    return Status::InvalidArgument("controller config " + config + " is " + s.message());
  }
  std::string found, key;
  try {
    const YAML::Node root = YAML::Load(text);
    const YAML::Node cluster = root.IsMap() ? root["cluster"] : YAML::Node();
    const YAML::Node dir = cluster && cluster.IsMap() ? cluster["dataDir"] : YAML::Node();
    if (dir && dir.IsScalar()) {
      found = ExpandVariables(dir.as<std::string>(), getenv);
      while (found.size() > 1 && found.back() == '/') found.pop_back();
      found += "/ctrl-ha.db";
      key = "cluster.dataDir";
    } else if (const YAML::Node db = root.IsMap() ? root["db"] : YAML::Node();
               db && db.IsScalar()) {
      found = ExpandVariables(db.as<std::string>(), getenv);
      key = "db";
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("controller config " + config +
                                   " is not valid YAML: " + e.what());
  }
  if (found.empty()) {
    return Status::InvalidArgument("cannot find the DB: " + tried + "; controller config " +
                                   config + " has neither cluster.dataDir nor db");
  }
  if (found[0] != '/') found = DirName(config) + "/" + found;
  return found;
}

}  // namespace zb::app
