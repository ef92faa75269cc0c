// In-memory files for unit tests that feed crafted bytes to code that reads
// through RandomAccessFile or writes through WritableFile. Not thread-safe.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "env/env.h"

namespace zb::testing {

// Reads `bytes` (held by reference: tests may change them between reads).
class MemFile final : public RandomAccessFile {
 public:
  explicit MemFile(const std::vector<std::byte>& bytes, std::string path = "mem.db")
      : bytes_(bytes), path_(std::move(path)) {}
  Result<size_t> ReadAt(uint64_t offset, MutableByteSpan dst) override {
    if (offset >= bytes_.size()) return size_t{0};
    const size_t n = std::min<uint64_t>(dst.size(), bytes_.size() - offset);
    std::copy_n(bytes_.begin() + offset, n, dst.begin());
    return n;
  }
  Result<uint64_t> Size() override { return bytes_.size(); }
  const std::string& path() const override { return path_; }

 private:
  const std::vector<std::byte>& bytes_;
  std::string path_;
};

// Collects what is written; grows as needed.
class MemWritableFile final : public WritableFile {
 public:
  Status WriteAt(uint64_t offset, ByteSpan data) override {
    if (bytes.size() < offset + data.size()) bytes.resize(offset + data.size());
    std::copy(data.begin(), data.end(), bytes.begin() + offset);
    return Status::OK();
  }
  Status Truncate(uint64_t size) override {
    bytes.resize(size);
    return Status::OK();
  }
  Status Sync() override { return Status::OK(); }
  Status SetOwner(uint32_t, uint32_t, uint32_t) override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  const std::string& path() const override { return path_; }

  std::vector<std::byte> bytes;

 private:
  std::string path_ = "mem-out.db";
};

}  // namespace zb::testing
