// Result<T>: either a T or a non-ok Status, in the shape of absl::StatusOr and
// std::expected (which g++ 12 lacks). Move-only T is supported.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "base/status.h"

namespace zb {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // Returns OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace zb

#define ZB_CONCAT_INNER_(a, b) a##b
#define ZB_CONCAT_(a, b) ZB_CONCAT_INNER_(a, b)
// ZB_ASSIGN_OR_RETURN(auto x, Fn()); returns Fn()'s Status from the caller on error.
#define ZB_ASSIGN_OR_RETURN(lhs, expr) \
  ZB_ASSIGN_OR_RETURN_IMPL_(ZB_CONCAT_(zb_result_, __LINE__), lhs, expr)
#define ZB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
