// The object storage servers a CTest fixture started for the tests in
// tests/remote/ (tests/servers/rgw.sh and azurite.sh, registered in
// CMakeLists.txt): each wrote $ZB_SERVERS_DIR/<name>/env, KEY=VALUE lines
// with its endpoints, credentials (random per run for rgw) and pids.
#pragma once

#include <map>
#include <string>

#include "store/s3_settings.h"

namespace zb::testing {

class ServerEnv {
 public:
  // Reads $ZB_SERVERS_DIR/<name>/env ("rgw" or "azurite"). On failure ok()
  // is false and error() says why and how to get the server started.
  static ServerEnv Load(const std::string& name);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // The server's directory ($ZB_SERVERS_DIR/<name>).
  const std::string& dir() const { return dir_; }
  // The value of `key`; "" and a (non-fatal) test failure if the file has
  // no such line.
  std::string Get(const std::string& key) const;
  const std::map<std::string, std::string>& vars() const { return vars_; }

 private:
  std::string dir_, error_;
  std::map<std::string, std::string> vars_;
};

// Settings for bucket `bucket` on the RGW fixture `rgw` as its test user,
// path style, for a test's own requests; the endpoint is the one the env
// file names `endpoint_var` (S3_TLS_ENDPOINT for HTTPS).
store::S3Settings RgwSettings(const ServerEnv& rgw, const std::string& bucket,
                              const std::string& endpoint_var = "S3_ENDPOINT");

// The environment of a ziti-backup run against `rgw` as an operator would
// set it: the test user's key, region and endpoint in the AWS variables,
// HOME at `home` (no real ~/.aws), and none of the variables that could
// send it elsewhere (profiles, CA bundles, targets, a config file).
void UseRgwEnvironment(const ServerEnv& rgw, const std::string& home);

}  // namespace zb::testing
