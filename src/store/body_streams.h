// The two streams the object-store request layers (s3_requests,
// azure_requests) put around an exchange: the request body sent from memory,
// so every attempt can send it again (SpanSource), and a count of the
// response bytes handed on, so a broken download can resume where it stopped
// (CountingSink). Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>

#include "base/stream.h"

namespace zb::store {

class SpanSource final : public ByteSource {
 public:
  explicit SpanSource(ByteSpan data) : data_(data) {}
  Result<size_t> Read(MutableByteSpan dst) override {
    const size_t n = std::min(dst.size(), data_.size() - pos_);
    std::copy_n(data_.data() + pos_, n, dst.data());
    pos_ += n;
    return n;
  }
  Status Rewind() override {
    pos_ = 0;
    return Status::OK();
  }

 private:
  ByteSpan data_;
  size_t pos_ = 0;
};

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
