// OpenBackend: a target URL (store/target_url.h) to a Backend, by an
// explicit switch on the scheme (no registration). What a local target does
// about a missing directory is the caller's to say: commands that only read
// (list, verify, status, restore, prune) fail, a backup makes the last level
// only, unless the operator asked for the whole path (a typo or an
// unmounted volume must not silently fill the root disk). An s3:// target
// takes its settings from the URL, the environment and the AWS shared files
// (store/s3_settings.h), an azblob:// target from the URL and the Azure
// variables (store/azure_settings.h); a bucket or container is never
// created.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "env/clock.h"
#include "env/env.h"
#include "store/backend.h"
#include "store/local_backend.h"

namespace zb::store {

struct OpenContext {
  Env& env;
  Clock& clock;
  MissingDir missing = MissingDir::kCreateLast;
  // An environment variable's value (AWS_*, AZURE_STORAGE_*, HOME); nullopt
  // when unset.
  // Empty: none is set.
  std::function<std::optional<std::string>(const std::string&)> getenv{};
  // Who we are, for the lease of an object-store target: "host pid 12".
  std::string owner = "ziti-backup";
};

Result<std::unique_ptr<Backend>> OpenBackend(const OpenContext& context, const std::string& url);

// The same with no environment variables (file:// targets, tests).
Result<std::unique_ptr<Backend>> OpenBackend(Env& env, Clock& clock, const std::string& url,
                                             MissingDir missing);

}  // namespace zb::store
