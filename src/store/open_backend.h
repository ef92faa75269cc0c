// OpenBackend: a target URL (store/target_url.h) to a Backend, by an
// explicit switch on the scheme (no registration). What a local target does
// about a missing directory is the caller's to say: commands that only read
// (list, verify, status, restore, prune) fail, a backup makes the last level
// only, unless the operator asked for the whole path (a typo or an
// unmounted volume must not silently fill the root disk).
#pragma once

#include <memory>
#include <string>

#include "env/clock.h"
#include "env/env.h"
#include "store/backend.h"
#include "store/local_backend.h"

namespace zb::store {

Result<std::unique_ptr<Backend>> OpenBackend(Env& env, Clock& clock, const std::string& url,
                                             MissingDir missing);

}  // namespace zb::store
