#include "snapshot/scrub.h"

#include <algorithm>

#include "base/page_set.h"

namespace zb::snapshot {

Result<uint64_t> ZeroPages(WritableFile& out, const std::vector<bolt::Pgid>& free_pages,
                           uint32_t page_size, bolt::Pgid high_water) {
  PageSet pages(high_water);
  for (bolt::Pgid id : free_pages) {
    if (id >= 2) pages.Insert(id);
  }
  const std::vector<std::byte> zeroes(std::min<uint64_t>(uint64_t{page_size} * 256, 1 << 20));
  Status s;
  pages.ForEachRun([&](uint64_t first, uint64_t n) {
    for (uint64_t off = first * page_size, end = (first + n) * page_size; s.ok() && off < end;) {
      uint64_t len = std::min<uint64_t>(zeroes.size(), end - off);
      s = out.WriteAt(off, ByteSpan(zeroes.data(), len));
      off += len;
    }
  });
  if (!s.ok()) return s;
  return pages.Count();
}

}  // namespace zb::snapshot
