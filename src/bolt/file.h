// BoltFile: read access to a bbolt file through Env: page size discovery the
// way bbolt does it, both meta pages, and bounds-checked page reads. It never
// maps the file (peak memory stays small however big the DB is) and never
// trusts a page id, overflow count or size read from the file.
// Not thread-safe; cheap to create.
#pragma once

#include <memory>
#include <vector>

#include "base/result.h"
#include "bolt/meta.h"
#include "bolt/page.h"
#include "env/env.h"

namespace zb::bolt {

class BoltFile {
 public:
  // Determines the page size from meta 0, else from meta 1 at each candidate
  // offset 1 KiB .. 16 MiB (bbolt's getPageSize). kCorruption if neither meta
  // is valid ("not a bbolt file"), kIOError if unreadable.
  static Result<BoltFile> Open(RandomAccessFile& file);

  uint32_t page_size() const { return page_size_; }
  RandomAccessFile& file() { return *file_; }

  // Reads both meta pages now and picks the latest valid one. For a live file
  // call it again to observe new commits.
  Result<MetaChoice> ReadLatestMeta();
  // The two meta pages as they are in the file now (decoded, not validated);
  // nullopt for a page that could not be read whole.
  std::optional<Meta> ReadMetaSlot(int slot);

  // Reads page `id` including its overflow pages into `buf` and returns the
  // span. kCorruption if id >= limit, if the page plus overflow passes
  // `limit` (the high-water mark) or the end of the file.
  Result<ByteSpan> ReadPage(Pgid id, Pgid limit, std::vector<std::byte>& buf);
  // Reads only the first page of `id` (no overflow) into `buf`.
  Result<ByteSpan> ReadOnePage(Pgid id, std::vector<std::byte>& buf);

 private:
  BoltFile(RandomAccessFile& file, uint32_t page_size) : file_(&file), page_size_(page_size) {}
  RandomAccessFile* file_;
  uint32_t page_size_;
};

}  // namespace zb::bolt
