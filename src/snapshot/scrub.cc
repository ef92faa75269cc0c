#include "snapshot/scrub.h"

#include "base/page_set.h"

namespace zb::snapshot {

Result<uint64_t> ZeroPages(WritableFile& out, const std::vector<bolt::Pgid>& free_pages,
                           uint32_t page_size, bolt::Pgid high_water) {
  PageSet pages(high_water);
  for (bolt::Pgid id : free_pages) {
    if (id >= 2) pages.Insert(id);
  }
  Status s;
  pages.ForEachRun([&](uint64_t first, uint64_t n) {
    if (s.ok()) s = out.WriteZeroes(first * page_size, n * page_size);
  });
  if (!s.ok()) return s;
  return pages.Count();
}

}  // namespace zb::snapshot
