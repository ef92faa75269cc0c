// OpenBackend: a target URL to a Backend, by an explicit switch on the
// scheme (no registration): file:///abs/dir, mem:// (tests, dry runs).
// Errors name the URL and say what is accepted.
#pragma once

#include <memory>
#include <string>

#include "env/clock.h"
#include "env/env.h"
#include "store/backend.h"

namespace zb::store {

Result<std::unique_ptr<Backend>> OpenBackend(Env& env, Clock& clock, const std::string& url);

}  // namespace zb::store
