#include "snapshot/page_copier.h"

#include <algorithm>
#include <cstring>

namespace zb::snapshot {

Status PageCopier::Copy(bolt::Pgid first, uint64_t n, uint64_t chunk_pages) {
  chunk_pages = std::max<uint64_t>(1, chunk_pages);
  buf_.resize(std::min(n, chunk_pages) * page_size_);
  for (uint64_t at = first; at < first + n;) {
    const uint64_t pages = std::min(chunk_pages, first + n - at);
    const MutableByteSpan chunk(buf_.data(), pages * page_size_);
    ZB_ASSIGN_OR_RETURN(size_t got, src_.ReadAt(at * page_size_, chunk));
    if (got != chunk.size()) {
      return Status::Corruption(src_.path() + ": file ends at " +
                                std::to_string(at * page_size_ + got) + " bytes, inside page " +
                                std::to_string(at + got / page_size_) +
                                ", which its meta says is in use");
    }
    if (zero_ != nullptr) {
      for (uint64_t k = 0; k < pages; ++k) {
        if (zero_->Contains(at + k)) std::memset(chunk.data() + k * page_size_, 0, page_size_);
      }
    }
    ZB_RETURN_IF_ERROR(out_.WriteAt(at * page_size_, chunk));
    at += pages;
  }
  return Status::OK();
}

}  // namespace zb::snapshot
