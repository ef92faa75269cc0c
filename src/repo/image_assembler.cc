#include "repo/image_assembler.h"

#include <algorithm>

namespace zb::repo {

// The base's image as a stream of bytes: cut into pages (a page split
// between two writes is held until it is whole), each placed unless a pack
// brought it.
class ImageAssembler::Base final : public ByteSink {
 public:
  Base(ImageAssembler& a, std::string what) : a_(a), what_(std::move(what)) {}
  Status Write(ByteSpan data) override {
    const size_t ps = a_.image_.page_size;
    while (!data.empty()) {
      if (partial_.empty() && data.size() >= ps) {
        const size_t whole = data.size() / ps * ps;
        ZB_RETURN_IF_ERROR(a_.PlaceBase(next_page_, data.first(whole)));
        next_page_ += whole / ps;
        data = data.subspan(whole);
        continue;
      }
      const size_t take = std::min(data.size(), ps - partial_.size());
      partial_.insert(partial_.end(), data.begin(), data.begin() + take);
      data = data.subspan(take);
      if (partial_.size() == ps) {
        ZB_RETURN_IF_ERROR(a_.PlaceBase(next_page_++, partial_));
        partial_.clear();
      }
    }
    return Status::OK();
  }
  Status Finish() override {
    if (!partial_.empty()) {
      return Status::Corruption(what_ + ": the base image ends inside page " +
                                std::to_string(next_page_));
    }
    return Status::OK();
  }

 private:
  ImageAssembler& a_;
  const std::string what_;
  std::vector<std::byte> partial_;
  uint64_t next_page_ = 0;
};

ImageAssembler::ImageAssembler(WritableFile& out, PagePackHeader image)
    : out_(out), image_(image) {}

bool ImageAssembler::Written(uint64_t page) const {
  auto it = written_.find(page / kBlockPages);
  if (it == written_.end()) return false;
  const uint64_t bit = page % kBlockPages;
  return ((*it->second)[bit / 64] >> (bit % 64)) & 1;
}

void ImageAssembler::MarkWritten(uint64_t page) {
  auto& block = written_[page / kBlockPages];
  if (!block) block = std::make_unique<Block>();  // zeroed
  const uint64_t bit = page % kBlockPages;
  (*block)[bit / 64] |= uint64_t{1} << (bit % 64);
}

namespace {

// Refuses everything: a pack whose pages cannot belong to this image.
class Refuse final : public ByteSink {
 public:
  explicit Refuse(Status why) : why_(std::move(why)) {}
  Status Write(ByteSpan) override { return why_; }
  Status Finish() override { return why_; }

 private:
  Status why_;
};

}  // namespace

std::unique_ptr<ByteSink> ImageAssembler::PackSink(const std::string& what, PagePackHeader pack) {
  if (pack.page_size != image_.page_size) {
    return std::make_unique<Refuse>(Status::Corruption(
        what + ": its manifest entry says " + std::to_string(pack.page_size) +
        "-byte pages, the image has " + std::to_string(image_.page_size) + "-byte pages"));
  }
  return std::make_unique<PagePackSink>(
      pack, what, [this](uint64_t number, ByteSpan page) { return Place(number, page); });
}

std::unique_ptr<ByteSink> ImageAssembler::BaseSink(const std::string& what) {
  return std::make_unique<Base>(*this, what);
}

Status ImageAssembler::Place(uint64_t first, ByteSpan bytes) {
  const size_t ps = image_.page_size;
  const uint64_t n = bytes.size() / ps;
  // Runs of pages not yet written go out in one write each.
  for (uint64_t i = 0; i < n;) {
    const uint64_t page = first + i;
    if (page >= image_.page_count) break;  // past the image
    if (Written(page)) {
      ++i;
      continue;
    }
    uint64_t end = i;
    while (end < n && first + end < image_.page_count && !Written(first + end)) {
      MarkWritten(first + end);
      ++end;
    }
    ZB_RETURN_IF_ERROR(out_.WriteAt(page * ps, bytes.subspan(i * ps, (end - i) * ps)));
    written_count_ += end - i;
    i = end;
  }
  return Status::OK();
}

void ImageAssembler::HashInOrder(ByteSink& hash, RandomAccessFile& readback) {
  hash_ = &hash;
  readback_ = &readback;
}

Status ImageAssembler::PlaceBase(uint64_t first, ByteSpan bytes) {
  if (hash_ != nullptr) {
    const size_t ps = image_.page_size;
    const uint64_t n = std::min<uint64_t>(
        bytes.size() / ps, image_.page_count > first ? image_.page_count - first : 0);
    // The base streams in page order: runs of its own pages are hashed
    // from its bytes, pages a pack brought from the file.
    for (uint64_t i = 0; i < n;) {
      uint64_t end = i;
      if (Written(first + i)) {
        while (end < n && Written(first + end)) ++end;
        ZB_RETURN_IF_ERROR(HashReadBack(first + end));
      } else {
        while (end < n && !Written(first + end)) ++end;
        ZB_RETURN_IF_ERROR(hash_->Write(bytes.subspan(i * ps, (end - i) * ps)));
        hashed_ = first + end;
      }
      i = end;
    }
  }
  return Place(first, bytes);
}

Status ImageAssembler::HashReadBack(uint64_t end) {
  const size_t ps = image_.page_size;
  // Reused: runs are often one page long, and many.
  if (readback_buf_.empty()) readback_buf_.resize(std::max<size_t>(1, (1 << 20) / ps) * ps);
  while (hashed_ < end) {
    const uint64_t n = std::min<uint64_t>(readback_buf_.size() / ps, end - hashed_);
    MutableByteSpan chunk(readback_buf_.data(), n * ps);
    ZB_RETURN_IF_ERROR(readback_->ReadExactly(hashed_ * ps, chunk));
    ZB_RETURN_IF_ERROR(hash_->Write(chunk));
    hashed_ += n;
  }
  return Status::OK();
}

Status ImageAssembler::Finish() {
  if (written_count_ != image_.page_count) {
    // The first page missing: in the first block that is not full. Only
    // blocks that exist are visited, so a forged page count costs nothing.
    uint64_t p = 0;
    for (const auto& [index, block] : written_) {
      if (index * kBlockPages > p) break;  // a block never written
      while (p < (index + 1) * kBlockPages && Written(p)) ++p;
      if (p < (index + 1) * kBlockPages) break;
    }
    return Status::Corruption("page " + std::to_string(p) + " of " +
                              std::to_string(image_.page_count) + " is in no object of the chain");
  }
  ZB_RETURN_IF_ERROR(out_.Truncate(image_.page_count * image_.page_size));
  if (hash_ == nullptr) return Status::OK();
  // Pages past the base's end (the DB grew since) came from packs.
  ZB_RETURN_IF_ERROR(HashReadBack(image_.page_count));
  return hash_->Finish();
}

}  // namespace zb::repo
