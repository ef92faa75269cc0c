// BoltFile: read access to a bbolt file through Env: page size discovery the
// way bbolt does it, both meta pages, and bounds-checked page reads. It never
// maps the file (peak memory stays small however big the DB is) and never
// trusts a page id, overflow count or size read from the file: every one is
// checked against the file's real size before it is used for an offset, a
// loop or an allocation.
// Not thread-safe; cheap to create.
#pragma once

#include <memory>
#include <vector>

#include "base/result.h"
#include "bolt/meta.h"
#include "bolt/page.h"
#include "env/env.h"

namespace zb::bolt {

// The page sizes bbolt can open: it looks for the second meta page at 1 KiB
// .. 16 MiB (db.go getPageSizeFromSecondMeta). A meta naming another page
// size is treated as damage, whatever its checksum says.
inline constexpr uint32_t kMinPageSize = 1024;
inline constexpr uint32_t kMaxPageSize = 16u << 20;

class BoltFile {
 public:
  // Determines the page size from meta 0, else from meta 1 at each candidate
  // offset 1 KiB .. 16 MiB (bbolt's getPageSize). kCorruption if neither meta
  // is valid ("not a bbolt file"), kIOError if unreadable.
  static Result<BoltFile> Open(RandomAccessFile& file);

  uint32_t page_size() const { return page_size_; }
  RandomAccessFile& file() { return *file_; }
  // The file's size in bytes and whole pages when it was last looked at
  // (Open, or a check below that found it too small and looked again).
  uint64_t size() const { return size_; }
  uint64_t pages() const { return size_ / page_size_; }

  // Reads both meta pages now and picks the latest valid one. For a live file
  // call it again to observe new commits.
  Result<MetaChoice> ReadLatestMeta();
  // The two meta pages as they are in the file now (decoded, not validated);
  // nullopt for a page that could not be read whole.
  std::optional<Meta> ReadMetaSlot(int slot);

  // Ok if pages [0, m.pgid) lie inside the file. A live file grows while we
  // read it, so a high-water mark past the size seen so far makes it look
  // at the size again. kCorruption "PATH: high-water mark N pages (txid T)
  // is beyond the file's size of M pages (B bytes)" otherwise: nothing may
  // allocate or loop per page of a high-water mark the file does not have.
  Status CheckHighWater(const Meta& m);

  // Reads page `id` including its overflow pages into `buf` and returns the
  // span. kCorruption if id >= limit, if the page plus overflow passes
  // `limit` (the high-water mark) or the end of the file.
  Result<ByteSpan> ReadPage(Pgid id, Pgid limit, std::vector<std::byte>& buf);
  // Reads only the first page of `id` (no overflow) into `buf`; kCorruption
  // if it lies past the end of the file.
  Result<ByteSpan> ReadOnePage(Pgid id, std::vector<std::byte>& buf);

 private:
  BoltFile(RandomAccessFile& file, uint32_t page_size, uint64_t size)
      : file_(&file), page_size_(page_size), size_(size) {}
  // Whether pages [0, end) lie inside the file, looking at its size again
  // if they do not inside the size seen last. `end` may be any number.
  Result<bool> Holds(uint64_t end_page);

  RandomAccessFile* file_;
  uint32_t page_size_;
  uint64_t size_;
};

}  // namespace zb::bolt
