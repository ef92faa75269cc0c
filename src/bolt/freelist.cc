#include "bolt/freelist.h"

#include <algorithm>

namespace zb::bolt {

Result<std::vector<Pgid>> DecodeFreelist(ByteSpan page) {
  auto h = DecodePageHeader(page);
  if (!h) return Status::Corruption("freelist page shorter than a page header");
  if (h->flags != kFreelistPageFlag) {
    return Status::Corruption("page " + std::to_string(h->id) +
                              ": expected a freelist page, found " + PageTypeName(h->flags));
  }
  uint64_t count = h->count;
  size_t first = kPageHeaderSize;
  if (h->count == kFreelistCountOverflow) {
    auto real = LoadLE<uint64_t>(page, kPageHeaderSize);
    if (!real) return Status::Corruption("freelist page " + std::to_string(h->id) + ": truncated");
    count = *real;
    first += 8;
  }
  if ((page.size() - first) / 8 < count) {
    return Status::Corruption("freelist page " + std::to_string(h->id) + ": " +
                              std::to_string(count) + " ids do not fit in " +
                              std::to_string(page.size()) + " bytes (overflow " +
                              std::to_string(h->overflow) + ")");
  }
  std::vector<Pgid> ids(count);
  for (uint64_t i = 0; i < count; ++i) ids[i] = *LoadLE<uint64_t>(page, first + i * 8);
  std::sort(ids.begin(), ids.end());
  return ids;
}

uint64_t MaxFreelistPages(uint32_t page_size, uint64_t file_pages) {
  // file_pages <= 2^64 / 1024, so this does not overflow.
  return (kPageHeaderSize + 8 + 8 * file_pages) / page_size + 1;
}

Result<std::vector<Pgid>> ReadFreelist(BoltFile& file, const Meta& meta) {
  if (meta.freelist == kNoFreelist) return std::vector<Pgid>{};
  if (meta.freelist < 2) {
    return Status::Corruption("meta names page " + std::to_string(meta.freelist) +
                              " as the freelist");
  }
  std::vector<std::byte> buf;
  ZB_ASSIGN_OR_RETURN(ByteSpan first, file.ReadOnePage(meta.freelist, buf));
  const uint64_t pages = uint64_t{DecodePageHeader(first)->overflow} + 1;
  if (pages > MaxFreelistPages(file.page_size(), file.pages())) {
    return Status::Corruption("freelist page " + std::to_string(meta.freelist) + ": overflow of " +
                              std::to_string(pages - 1) +
                              " pages is more than a list of every page in the file needs");
  }
  ZB_ASSIGN_OR_RETURN(ByteSpan page, file.ReadPage(meta.freelist, meta.pgid, buf));
  return DecodeFreelist(page);
}

}  // namespace zb::bolt
