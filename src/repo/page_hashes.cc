#include "repo/page_hashes.h"

#include <algorithm>

namespace zb::repo {

Result<std::vector<PageHash>> HashPages(RandomAccessFile& image, uint32_t page_size,
                                        PageHasher& hasher, ByteSink* also) {
  if (page_size == 0) return Status::InvalidArgument("hash pages: page size 0");
  ZB_ASSIGN_OR_RETURN(const uint64_t size, image.Size());
  if (size % page_size != 0) {
    return Status::Corruption(image.path() + ": " + std::to_string(size) +
                              " bytes is not a whole number of " + std::to_string(page_size) +
                              "-byte pages");
  }
  const uint64_t pages = size / page_size;
  std::vector<PageHash> out;
  out.reserve(pages);  // bounded by the file's real size
  // A whole number of pages per read, about 1 MiB.
  std::vector<std::byte> buf(std::max<size_t>(1, (1 << 20) / page_size) * page_size);
  for (uint64_t offset = 0; offset < size;) {
    const size_t n = std::min<uint64_t>(buf.size(), size - offset);
    ZB_RETURN_IF_ERROR(image.ReadExactly(offset, MutableByteSpan(buf.data(), n)));
    if (also) ZB_RETURN_IF_ERROR(also->Write(ByteSpan(buf.data(), n)));
    for (size_t at = 0; at < n; at += page_size) {
      ZB_ASSIGN_OR_RETURN(PageHash h, hasher.Of(ByteSpan(buf.data() + at, page_size)));
      out.push_back(h);
    }
    offset += n;
  }
  return out;
}

}  // namespace zb::repo
