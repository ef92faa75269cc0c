// LocateDb: which bbolt file to back up (spec §3). In order:
//   1. --db / ZITI_CTRL_BACKUP_DB;
//   2. the controller's config (--ctrl-config / ZITI_CTRL_BACKUP_CTRL_CONFIG,
//      else the first of kControllerConfigNames under $ZITI_HOME that
//      exists): `cluster.dataDir` + "/ctrl-ha.db" for an
//      HA controller (its live DB even when `db:` is also set, which only
//      seeds a new cluster), else `db:`.
// Values get the controller's ${VAR} / $VAR substitution; a relative path is
// resolved against the config file's directory, which is the controller's
// working directory in the container (/ziti-controller) and the Linux
// package (/var/lib/ziti-controller) alike. When nothing is found the error
// lists every place tried. A config larger than 4 MiB or nested deeper than
// kMaxYamlDepth is refused before yaml-cpp parses it. Reads the environment
// through `getenv`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "env/env.h"

namespace zb::app {

// A controller config is a few KiB; anything past this is not one.
inline constexpr uint64_t kMaxControllerConfigBytes = 4 << 20;

using GetEnv = std::function<std::optional<std::string>(const std::string&)>;

// The names a controller config has under $ZITI_HOME, in the order tried:
// the official image and the Linux package write config.yml, the
// quickstarts ctrl.yaml (a clustered quickstart one directory further down,
// under its instance id, which --ctrl-config must then name).
inline constexpr const char* kControllerConfigNames[] = {
    "config.yml", "config.yaml", "ctrl.yaml", "ctrl.yml", "ctrl-config.yml", "ctrl-config.yaml"};

// The controller configs LocateDb may read when there is no --db: the flag
// alone, else each known name under $ZITI_HOME; empty when neither is set.
std::vector<std::string> ControllerConfigCandidates(const std::string& ctrl_config_flag,
                                                    const GetEnv& getenv);

// The first of `candidates` that is there (or cannot be looked at, so that
// reading it says why); nullopt when none is.
std::optional<std::string> FirstPresent(Env& env, const std::vector<std::string>& candidates);

Result<std::string> LocateDb(Env& env, const std::string& db_flag,
                             const std::string& ctrl_config_flag, const GetEnv& getenv);

// "${ZITI_HOME}/db" -> "/ziti-controller/db"; unknown variables become "".
std::string ExpandVariables(const std::string& text, const GetEnv& getenv);

}  // namespace zb::app
