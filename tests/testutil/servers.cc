#include "testutil/servers.h"

#include <gtest/gtest.h>
#include <stdlib.h>

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

store::S3Settings RgwSettings(const ServerEnv& rgw, const std::string& bucket,
                              const std::string& endpoint_var) {
  store::S3Settings s;
  auto endpoint = store::ParseEndpointUrl(rgw.Get(endpoint_var));
  EXPECT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  if (endpoint.ok()) s.endpoint = *endpoint;
  s.bucket = bucket;
  s.region = rgw.Get("S3_REGION");
  s.path_style = true;
  s.credentials = {rgw.Get("S3_ACCESS_KEY_ID"), rgw.Get("S3_SECRET_ACCESS_KEY"), ""};
  return s;
}

void UseRgwEnvironment(const ServerEnv& rgw, const std::string& home) {
  for (const char* name :
       {"AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_CA_BUNDLE", "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION", "ZITI_CTRL_BACKUP_TARGETS", "ZITI_CTRL_BACKUP_CONFIG"}) {
    ::unsetenv(name);
  }
  ::setenv("HOME", home.c_str(), 1);
  ::setenv("AWS_ACCESS_KEY_ID", rgw.Get("S3_ACCESS_KEY_ID").c_str(), 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", rgw.Get("S3_SECRET_ACCESS_KEY").c_str(), 1);
  ::setenv("AWS_REGION", rgw.Get("S3_REGION").c_str(), 1);
  ::setenv("AWS_ENDPOINT_URL", rgw.Get("S3_ENDPOINT").c_str(), 1);
}

}  // namespace zb::testing
