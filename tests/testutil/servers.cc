#include "testutil/servers.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace zb::testing {

ServerEnv ServerEnv::Load(const std::string& name) {
  ServerEnv s;
  const std::string how = "run through ctest so the " + name +
                          " fixture starts it (by hand: tests/servers/" + name + ".sh start DIR/" +
                          name + ", then ZB_SERVERS_DIR=DIR)";
  const char* base = std::getenv("ZB_SERVERS_DIR");
  if (base == nullptr || *base == '\0') {
    s.error_ = "ZB_SERVERS_DIR is not set: " + how;
    return s;
  }
  s.dir_ = std::string(base) + "/" + name;
  const std::string path = s.dir_ + "/env";
  std::ifstream in(path);
  if (!in) {
    s.error_ = path + " is missing: " + how;
    return s;
  }
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      s.error_ = path + ":" + std::to_string(n) + ": not KEY=VALUE";
      return s;
    }
    s.vars_[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (s.vars_.empty()) s.error_ = path + " is empty";
  return s;
}

std::string ServerEnv::Get(const std::string& key) const {
  const auto it = vars_.find(key);
  if (it == vars_.end()) {
    ADD_FAILURE() << dir_ << "/env has no " << key;
    return "";
  }
  return it->second;
}

}  // namespace zb::testing
