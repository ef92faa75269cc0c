// ByteSource and ByteSink: how layers hand bytes to each other. A backup
// streams the snapshot through sinks (sha256 -> zstd -> sha256 -> target)
// in one pass; an upload reads a source, which can start over for a retry.
// Implementations are not thread-safe.
#pragma once

#include <string>

#include "base/bytes.h"
#include "base/result.h"

namespace zb {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to dst.size() bytes; 0 means the end.
  virtual Result<size_t> Read(MutableByteSpan dst) = 0;
  // Starts over from the first byte (a retried upload). kAborted if the
  // source cannot.
  virtual Status Rewind() = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(ByteSpan data) = 0;
  // No more data: flushes what a stage buffers and finishes the stream (a
  // compressor writes its last frame). Write after Finish is an error.
  virtual Status Finish() = 0;
};

// A source over bytes the caller keeps in memory (a request body).
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

// A source over bytes it holds (tests, manifests).
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data)
      : data_(std::move(data)),
        span_(ByteSpan(reinterpret_cast<const std::byte*>(data_.data()), data_.size())) {}
  StringSource(const StringSource&) = delete;  // span_ points into data_
  StringSource& operator=(const StringSource&) = delete;
  Result<size_t> Read(MutableByteSpan dst) override { return span_.Read(dst); }
  Status Rewind() override { return span_.Rewind(); }

 private:
  std::string data_;
  SpanSource span_;  // over data_
};

// A sink that keeps everything in memory.
class StringSink final : public ByteSink {
 public:
  Status Write(ByteSpan data) override {
    if (finished_) return Status::Aborted("write after finish");
    data_.append(reinterpret_cast<const char*>(data.data()), data.size());
    return Status::OK();
  }
  Status Finish() override {
    finished_ = true;
    return Status::OK();
  }
  const std::string& data() const { return data_; }
  bool finished() const { return finished_; }

 private:
  std::string data_;
  bool finished_ = false;
};

// Forwards to `next` at most `limit` bytes in all; a write that would pass
// the limit forwards nothing and fails with `over`. Bounds what a stored
// object can make us hold or write (a manifest read, a decompression).
class LimitSink final : public ByteSink {
 public:
  LimitSink(ByteSink& next, uint64_t limit, Status over)
      : next_(next), limit_(limit), over_(std::move(over)) {}
  Status Write(ByteSpan data) override {
    if (data.size() > limit_ - bytes_) {
      exceeded_ = true;
      return over_;
    }
    bytes_ += data.size();
    return next_.Write(data);
  }
  Status Finish() override { return next_.Finish(); }
  uint64_t bytes() const { return bytes_; }  // forwarded
  bool exceeded() const { return exceeded_; }

 private:
  ByteSink& next_;
  uint64_t limit_;
  Status over_;
  uint64_t bytes_ = 0;
  bool exceeded_ = false;
};

// Copies all of `source` into `sink` (without finishing it) through a
// buffer of `chunk` bytes; returns the number of bytes copied.
Result<uint64_t> Pump(ByteSource& source, ByteSink& sink, size_t chunk = 1 << 16);

}  // namespace zb
