// FileSource: a RandomAccessFile read from the start as a ByteSource, which
// Rewind() starts over (a retried upload of a snapshot). Not thread-safe.
#pragma once

#include "base/stream.h"
#include "env/env.h"

namespace zb {

class FileSource final : public ByteSource {
 public:
  explicit FileSource(RandomAccessFile& file) : file_(file) {}
  Result<size_t> Read(MutableByteSpan dst) override {
    ZB_ASSIGN_OR_RETURN(size_t n, file_.ReadAt(offset_, dst));
    offset_ += n;
    return n;
  }
  Status Rewind() override {
    offset_ = 0;
    return Status::OK();
  }

 private:
  RandomAccessFile& file_;
  uint64_t offset_ = 0;
};

}  // namespace zb
