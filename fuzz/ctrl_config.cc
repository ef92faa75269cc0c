// The YAML readers: the controller's config.yml that `LocateDb` reads to
// find the DB (cluster.dataDir or db:), and our own --config file.
#include <map>

#include "app/config_file.h"
#include "app/locate_db.h"
#include "fuzz/entries.h"
#include "fuzz/mem_env.h"
#include "fuzz/require.h"

namespace zb::fuzz {

void CtrlConfig(ByteSpan data) {
  const std::string path = "/ziti-controller/config.yml";
  OneFileEnv env(path, data);
  // The controller's variables, as its container sets them.
  static const std::map<std::string, std::string> kVars = {
      {"ZITI_HOME", "/ziti-controller"}, {"ZITI_CTRL_NAME", "ctrl1"}, {"EMPTY", ""}};
  const app::GetEnv getenv = [](const std::string& name) -> std::optional<std::string> {
    auto it = kVars.find(name);
    if (it == kVars.end()) return std::nullopt;
    return it->second;
  };
  auto db = app::LocateDb(env, "", path, getenv);
  if (db.ok()) {
    Require(!db->empty() && (*db)[0] == '/', "LocateDb gave a relative path: " + *db);
  } else {
    Require(db.status().code() == Code::kInvalidArgument,
            "a bad controller config must be kInvalidArgument: " + db.status().ToString());
  }
  auto vars = app::ReadConfigFile(env, path);
  if (!vars.ok()) {
    Require(vars.status().code() == Code::kInvalidArgument,
            "a bad config file must be kInvalidArgument: " + vars.status().ToString());
    return;
  }
  for (const auto& [name, value] : *vars) {
    Require(name.rfind("ZITI_CTRL_BACKUP_", 0) == 0, "config file sets " + name);
  }
}

}  // namespace zb::fuzz
