// What the object-store request layers (s3_requests, azure_requests) put
// around an exchange besides the request body (a SpanSource from memory, so
// every attempt can send it again): a count of the response bytes handed
// on, so a broken download can resume where it stopped. Not thread-safe.
#pragma once

#include <cstdint>

#include "base/stream.h"

namespace zb::store {

class CountingSink final : public ByteSink {
 public:
  explicit CountingSink(ByteSink& next) : next_(next) {}
  Status Write(ByteSpan data) override {
    ZB_RETURN_IF_ERROR(next_.Write(data));
    bytes_ += data.size();
    return Status::OK();
  }
  Status Finish() override { return next_.Finish(); }
  uint64_t bytes() const { return bytes_; }

 private:
  ByteSink& next_;
  uint64_t bytes_ = 0;
};

}  // namespace zb::store
