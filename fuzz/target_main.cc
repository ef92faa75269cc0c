// One libFuzzer target: fuzz/CMakeLists.txt builds this file once per entry
// of entries.h, with ZB_FUZZ_ENTRY naming the entry.
#include <cstddef>
#include <cstdint>

#include "fuzz/entries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zb::fuzz::ZB_FUZZ_ENTRY(zb::ByteSpan(reinterpret_cast<const std::byte*>(data), size));
  return 0;
}
