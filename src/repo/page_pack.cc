#include "repo/page_pack.h"

#include <algorithm>
#include <cstring>

#include "base/bytes.h"

namespace zb::repo {
namespace {

constexpr char kMagic[8] = {'Z', 'B', 'P', 'A', 'G', 'E', 'S', '1'};

}  // namespace

bool ValidPageSize(uint64_t page_size) {
  return page_size >= 512 && page_size <= 65536 && (page_size & (page_size - 1)) == 0;
}

uint64_t PagePackSize(uint32_t page_size, uint64_t n) {
  return kPagePackHeaderBytes + n * (8 + uint64_t{page_size});
}

PagePackSource::PagePackSource(PagePackHeader header, std::vector<uint64_t> pages, ReadPage read)
    : header_(header), pages_(std::move(pages)), read_(std::move(read)) {
  if (!ValidPageSize(header_.page_size)) {
    invalid_ = Status::InvalidArgument("page pack: page size " + std::to_string(header_.page_size) +
                                       " is not valid");
    return;
  }
  for (size_t i = 0; i < pages_.size(); ++i) {
    if (pages_[i] >= header_.page_count || (i > 0 && pages_[i] <= pages_[i - 1])) {
      invalid_ = Status::InvalidArgument("page pack: page numbers must ascend below " +
                                         std::to_string(header_.page_count));
      return;
    }
  }
  prefix_.resize(kPagePackHeaderBytes + 8 * pages_.size());
  std::memcpy(prefix_.data(), kMagic, sizeof kMagic);
  StoreLE<uint32_t>(prefix_, 8, header_.page_size);
  StoreLE<uint64_t>(prefix_, 12, header_.page_count);
  StoreLE<uint64_t>(prefix_, 20, header_.txid);
  StoreLE<uint64_t>(prefix_, 28, pages_.size());
  for (size_t i = 0; i < pages_.size(); ++i) {
    StoreLE<uint64_t>(prefix_, kPagePackHeaderBytes + 8 * i, pages_[i]);
  }
  page_.resize(header_.page_size);
}

Result<size_t> PagePackSource::Fill(uint64_t offset, MutableByteSpan dst) {
  if (offset < prefix_.size()) {
    const size_t n = std::min<uint64_t>(dst.size(), prefix_.size() - offset);
    std::copy_n(prefix_.data() + offset, n, dst.data());
    return n;
  }
  const uint64_t index = (offset - prefix_.size()) / header_.page_size;
  const uint64_t within = (offset - prefix_.size()) % header_.page_size;
  if (page_loaded_ != index) {
    ZB_RETURN_IF_ERROR(read_(pages_[index], page_));
    page_loaded_ = index;
  }
  const size_t n = std::min<uint64_t>(dst.size(), header_.page_size - within);
  std::copy_n(page_.data() + within, n, dst.data());
  return n;
}

Result<size_t> PagePackSource::Read(MutableByteSpan dst) {
  ZB_RETURN_IF_ERROR(invalid_);
  size_t done = 0;
  while (done < dst.size() && offset_ < size()) {
    ZB_ASSIGN_OR_RETURN(size_t n, Fill(offset_, dst.subspan(done)));
    done += n;
    offset_ += n;
  }
  return done;
}

Status PagePackSource::Rewind() {
  offset_ = 0;
  return Status::OK();
}

PagePackSink::PagePackSink(PagePackHeader expected, std::string what, OnPage on_page)
    : expected_(expected), what_(std::move(what)), on_page_(std::move(on_page)) {}

Status PagePackSink::Damaged(const std::string& why) const {
  return Status::Corruption(what_ + ": " + why);
}

Status PagePackSink::TakeHeader() {
  if (std::memcmp(buf_.data(), kMagic, sizeof kMagic) != 0) {
    return Damaged("not a page pack (no ZBPAGES1 at its start)");
  }
  const PagePackHeader got{*LoadLE<uint32_t>(buf_, 8), *LoadLE<uint64_t>(buf_, 12),
                           *LoadLE<uint64_t>(buf_, 20)};
  if (got != expected_) {
    return Damaged("its header says page size " + std::to_string(got.page_size) + ", " +
                   std::to_string(got.page_count) + " pages, txid " + std::to_string(got.txid) +
                   "; its manifest says " + std::to_string(expected_.page_size) + ", " +
                   std::to_string(expected_.page_count) + ", " + std::to_string(expected_.txid));
  }
  count_ = *LoadLE<uint64_t>(buf_, 28);
  if (count_ > expected_.page_count) {
    return Damaged("it claims " + std::to_string(count_) + " pages of an image of " +
                   std::to_string(expected_.page_count));
  }
  // The page count is a manifest's word too: the numbers are held as they
  // arrive, so memory follows the bytes actually read, never a claim.
  numbers_.reserve(std::min<uint64_t>(count_, 1 << 16));
  stage_ = count_ == 0 ? Stage::kDone : Stage::kNumbers;
  return Status::OK();
}

Status PagePackSink::Write(ByteSpan data) {
  ZB_RETURN_IF_ERROR(error_);
  auto fail = [&](Status s) {
    error_ = s;
    return s;
  };
  while (!data.empty()) {
    if (stage_ == Stage::kDone) return fail(Damaged("it is longer than its header says"));
    size_t want = stage_ == Stage::kHeader    ? kPagePackHeaderBytes
                  : stage_ == Stage::kNumbers ? 8
                                              : expected_.page_size;
    // A whole page in the input goes on without a copy.
    if (stage_ == Stage::kPages && buf_.empty() && data.size() >= want) {
      Status s = on_page_(numbers_[next_page_], data.first(want));
      if (!s.ok()) return fail(s);
      data = data.subspan(want);
      if (++next_page_ == count_) stage_ = Stage::kDone;
      continue;
    }
    const size_t take = std::min(data.size(), want - buf_.size());
    buf_.insert(buf_.end(), data.begin(), data.begin() + take);
    data = data.subspan(take);
    if (buf_.size() < want) break;
    Status s;
    if (stage_ == Stage::kHeader) {
      s = TakeHeader();
    } else if (stage_ == Stage::kNumbers) {
      const uint64_t n = *LoadLE<uint64_t>(buf_, 0);
      if (n >= expected_.page_count || (!numbers_.empty() && n <= numbers_.back())) {
        s = Damaged("page number " + std::to_string(n) + " is out of order or past the image");
      } else {
        numbers_.push_back(n);
        if (numbers_.size() == count_) stage_ = Stage::kPages;
      }
    } else {
      s = on_page_(numbers_[next_page_], buf_);
      if (s.ok() && ++next_page_ == count_) stage_ = Stage::kDone;
    }
    if (!s.ok()) return fail(s);
    buf_.clear();
  }
  return Status::OK();
}

Status PagePackSink::Finish() {
  ZB_RETURN_IF_ERROR(error_);
  switch (stage_) {
    case Stage::kDone:
      return Status::OK();
    case Stage::kHeader:
      return Damaged("it ends inside its header");
    case Stage::kNumbers:
      return Damaged("it ends after " + std::to_string(numbers_.size()) + " of its " +
                     std::to_string(count_) + " page numbers");
    case Stage::kPages:
      break;
  }
  return Damaged("it ends after " + std::to_string(next_page_) + " of its " +
                 std::to_string(count_) + " pages");
}

}  // namespace zb::repo
