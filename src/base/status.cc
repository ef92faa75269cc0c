#include "base/status.h"

#include <cerrno>
#include <cstring>

namespace zb {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid argument";
    case Code::kNotFound:
      return "not found";
    case Code::kIOError:
      return "I/O error";
    case Code::kTimeout:
      return "timeout";
    case Code::kCorruption:
      return "corruption";
    case Code::kBusy:
      return "busy";
    case Code::kAborted:
      return "aborted";
  }
  return "unknown";
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(code_, std::string(context) + ": " + message_, retryable_);
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(code_)) + ": " + message_;
}

Status ErrnoStatus(std::string_view what, std::string_view path, int err) {
  std::string msg = std::string(what) + " " + std::string(path) + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
      return Status::NotFound(std::move(msg));
    case EWOULDBLOCK:
      return Status::Busy(std::move(msg));
    case EINTR:
      return Status::IOError(std::move(msg), /*retryable=*/true);
    default:
      return Status::IOError(std::move(msg));
  }
}

}  // namespace zb
