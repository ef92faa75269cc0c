// Status: the outcome of an operation, either ok or an error with a code, a
// message that names what failed (file, page, variable), and a retryable bit.
// Codes are few on purpose: each maps to exactly one exit code in cli/main.cc.
// Status is a value type; copies are cheap enough for error paths. Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace zb {

enum class Code {
  kOk,
  kInvalidArgument,  // usage or configuration error (exit 2)
  kNotFound,         // a named thing does not exist (exit 1)
  kIOError,          // system call, network (exit 1)
  kTimeout,          // a bounded wait ran out (exit 1)
  kCorruption,       // data failed verification (exit 3)
  kBusy,             // a lock is held, the DB is in use (exit 4)
  kAborted,          // stopped on request or gave up after retries (exit 1)
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Code code, std::string message, bool retryable = false)
      : code_(code), message_(std::move(message)), retryable_(retryable) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status IOError(std::string m, bool retryable = false) {
    return {Code::kIOError, std::move(m), retryable};
  }
  static Status Timeout(std::string m) { return {Code::kTimeout, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status Busy(std::string m) { return {Code::kBusy, std::move(m)}; }
  static Status Aborted(std::string m) { return {Code::kAborted, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool retryable() const { return retryable_; }

  // Returns a copy whose message is "context: message"; code and retryable kept.
  Status WithContext(std::string_view context) const;
  // "ok", or "<code name>: <message>".
  std::string ToString() const;

  // Marks a status as deliberately ignored (best-effort cleanup paths).
  void IgnoreError() const {}

 private:
  Code code_ = Code::kOk;
  std::string message_;
  bool retryable_ = false;
};

// Returns errno's text with the call and path, e.g. "open /x: No such file".
Status ErrnoStatus(std::string_view what, std::string_view path, int err);

}  // namespace zb

#define ZB_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::zb::Status zb_status_ = (expr);        \
    if (!zb_status_.ok()) return zb_status_; \
  } while (0)
