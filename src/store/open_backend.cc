#include "store/open_backend.h"

#include "store/target_url.h"

namespace zb::store {

Result<std::unique_ptr<Backend>> OpenBackend(Env& env, Clock& clock, const std::string& url,
                                             MissingDir missing) {
  ZB_ASSIGN_OR_RETURN(TargetUrl parsed, ParseTargetUrl(url));
  // Only file:// parses today; the in-memory backend is a test double and
  // is not reachable from a URL.
  return std::unique_ptr<Backend>(new LocalBackend(env, parsed.path, missing));
}

}  // namespace zb::store
