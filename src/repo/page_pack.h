// A page pack: the object an incremental snapshot stores, the pages of its
// image that differ from its parent's (docs/incremental.md). Before
// compression and encryption it is, little-endian:
//
//   "ZBPAGES1" | page size u32 | image page count u64 | image txid u64 |
//   n u64 | n page numbers u64, strictly ascending, each < page count |
//   n pages of page size bytes, in that order
//
// PagePackSource writes one as a stream (the encoder pulls it); PagePackSink
// reads one as the decoder pushes it and hands each page on. Every number
// in a pack is untrusted: the sink checks it against what the manifest
// says of the image before it writes anything, holds the page numbers only
// as they arrive (memory follows the bytes read, not a count), and a pack
// that is longer or shorter than its header says is damaged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/stream.h"

namespace zb::repo {

inline constexpr size_t kPagePackHeaderBytes = 36;

struct PagePackHeader {
  uint32_t page_size = 0;
  uint64_t page_count = 0;  // the image's: pages past it are not in the image
  uint64_t txid = 0;
  bool operator==(const PagePackHeader&) const = default;
};

// Whether a page size is one bbolt can have: a power of two, 512 to 65536.
bool ValidPageSize(uint64_t page_size);

// The pack's plain size for `n` pages.
uint64_t PagePackSize(uint32_t page_size, uint64_t n);

class PagePackSource final : public ByteSource {
 public:
  // Reads page `number` of the image into `out` (page size bytes).
  using ReadPage = std::function<Status(uint64_t number, MutableByteSpan out)>;
  // REQUIRES: `pages` strictly ascending, each < header.page_count; a valid
  // page size. (Checked: a violation makes the first Read fail.)
  PagePackSource(PagePackHeader header, std::vector<uint64_t> pages, ReadPage read);
  Result<size_t> Read(MutableByteSpan dst) override;
  Status Rewind() override;
  uint64_t size() const { return PagePackSize(header_.page_size, pages_.size()); }

 private:
  // The bytes at `offset` of the pack into `dst`; how many.
  Result<size_t> Fill(uint64_t offset, MutableByteSpan dst);

  const PagePackHeader header_;
  const std::vector<uint64_t> pages_;
  const ReadPage read_;
  std::vector<std::byte> prefix_;  // header and page numbers
  std::vector<std::byte> page_;    // the page being sent
  uint64_t page_loaded_ = UINT64_MAX;
  uint64_t offset_ = 0;
  Status invalid_;
};

class PagePackSink final : public ByteSink {
 public:
  // Called once per page, in the pack's order.
  using OnPage = std::function<Status(uint64_t number, ByteSpan page)>;
  // `expected`: what the manifest says of the image; a pack that says
  // otherwise is damaged. `what` names the object in errors.
  PagePackSink(PagePackHeader expected, std::string what, OnPage on_page);
  Status Write(ByteSpan data) override;
  // kCorruption if the pack ended before its last page.
  Status Finish() override;
  uint64_t pages() const { return numbers_.size(); }

 private:
  Status Damaged(const std::string& why) const;
  Status TakeHeader();

  const PagePackHeader expected_;
  const std::string what_;
  const OnPage on_page_;
  std::vector<std::byte> buf_;  // the part of the header, a number or a page read so far
  enum class Stage { kHeader, kNumbers, kPages, kDone } stage_ = Stage::kHeader;
  uint64_t count_ = 0;
  std::vector<uint64_t> numbers_;
  uint64_t next_page_ = 0;  // index into numbers_
  Status error_;
};

}  // namespace zb::repo
