// Require: how a fuzz entry states a property. A violated one prints the
// message and aborts, which libFuzzer reports as a crash (and keeps the
// input) and which fails the replay test in ctest.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/bytes.h"

namespace zb::fuzz {

inline void Require(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", what.c_str());
  std::abort();
}

inline std::string AsString(ByteSpan data) {
  return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

}  // namespace zb::fuzz
