// FileSink: a ByteSink appending to a WritableFile from offset 0; Finish()
// does nothing (the owner syncs and commits the file). Not thread-safe.
#pragma once

#include "base/stream.h"
#include "env/env.h"

namespace zb {

class FileSink final : public ByteSink {
 public:
  explicit FileSink(WritableFile& file) : file_(file) {}
  Status Write(ByteSpan data) override {
    ZB_RETURN_IF_ERROR(file_.WriteAt(offset_, data));
    offset_ += data.size();
    return Status::OK();
  }
  Status Finish() override { return Status::OK(); }
  uint64_t bytes() const { return offset_; }

 private:
  WritableFile& file_;
  uint64_t offset_ = 0;
};

}  // namespace zb
