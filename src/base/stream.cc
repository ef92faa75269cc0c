#include "base/stream.h"

#include <vector>

namespace zb {

Result<uint64_t> Pump(ByteSource& source, ByteSink& sink, size_t chunk) {
  std::vector<std::byte> buf(chunk);
  uint64_t total = 0;
  while (true) {
    ZB_ASSIGN_OR_RETURN(size_t n, source.Read(buf));
    if (n == 0) return total;
    ZB_RETURN_IF_ERROR(sink.Write(ByteSpan(buf.data(), n)));
    total += n;
  }
}

}  // namespace zb
