// The optional config file (spec §3: flags > environment > config file >
// defaults): YAML whose keys are the ZITI_CTRL_BACKUP_* variables without
// the prefix, in lower case, e.g.
//   targets: [file:///var/backups/ziti]      # or one space-separated string
//   keep_daily: 14
//   tz: Europe/Berlin
// ReadConfigFile returns the assignments it makes; the caller sets each one
// that the environment does not already set, so flags and variables keep
// winning over the file. An unknown key or a non-scalar value is an error
// naming the file and the key (a typo must not be silently ignored).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "env/env.h"

namespace zb::app {

// The variables a config file may set, without the ZITI_CTRL_BACKUP_ prefix.
const std::vector<std::string>& ConfigurableVariables();

// [(variable, value)], e.g. ("ZITI_CTRL_BACKUP_KEEP_DAILY", "14").
Result<std::vector<std::pair<std::string, std::string>>> ReadConfigFile(Env& env,
                                                                        const std::string& path);

}  // namespace zb::app
