#include "store/open_backend.h"

#include "store/local_backend.h"
#include "store/mem_backend.h"

namespace zb::store {

Result<std::unique_ptr<Backend>> OpenBackend(Env& env, Clock& clock, const std::string& url) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid target \"" + url + "\": " + why +
                                   " (use file:///absolute/dir)");
  };
  if (url.rfind("file://", 0) == 0) {
    std::string dir = url.substr(7);
    if (dir.empty() || dir[0] != '/') return bad("the path must be absolute");
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return std::unique_ptr<Backend>(new LocalBackend(env, dir));
  }
  if (url == "mem://") return std::unique_ptr<Backend>(new MemBackend(clock));
  if (url.rfind("s3://", 0) == 0) return bad("s3:// targets are not supported yet");
  return bad("unknown scheme");
}

}  // namespace zb::store
