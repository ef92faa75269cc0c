// Streams of any length that hold nothing: byte i is i % 251, the pattern
// tests/net/http_test_server.py sends and checks. PatternSource counts its
// reads and rewinds; PatternSink checks every byte and counts them. Both
// sample the process's resident set as bytes pass, so a test can show that
// the code in between streamed rather than buffered.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>

#include "base/stream.h"

namespace zb::testing {

// The process's current resident set in KiB (/proc/self/statm).
inline long CurrentRssKib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Tracks the peak resident set seen every `every` bytes.
class RssSampler {
 public:
  void Add(uint64_t n) {
    since_ += n;
    if (since_ >= kEvery) {
      since_ = 0;
      peak_kib_ = std::max(peak_kib_, CurrentRssKib());
    }
  }
  long peak_kib() const { return peak_kib_; }

 private:
  static constexpr uint64_t kEvery = 4 << 20;
  uint64_t since_ = 0;
  long peak_kib_ = 0;
};

class PatternSource final : public ByteSource {
 public:
  explicit PatternSource(uint64_t size) : size_(size) {}
  Result<size_t> Read(MutableByteSpan dst) override {
    ++reads_;
    largest_read_ = std::max(largest_read_, dst.size());
    const size_t n = static_cast<size_t>(std::min<uint64_t>(dst.size(), size_ - pos_));
    for (size_t i = 0; i < n; ++i) dst[i] = std::byte((pos_ + i) % 251);
    pos_ += n;
    rss_.Add(n);
    return n;
  }
  Status Rewind() override {
    ++rewinds_;
    pos_ = 0;
    return Status::OK();
  }
  uint64_t position() const { return pos_; }
  int rewinds() const { return rewinds_; }
  int reads() const { return reads_; }
  size_t largest_read() const { return largest_read_; }
  long peak_rss_kib() const { return rss_.peak_kib(); }

 private:
  uint64_t size_;
  uint64_t pos_ = 0;
  int rewinds_ = 0;
  int reads_ = 0;
  size_t largest_read_ = 0;
  RssSampler rss_;
};

class PatternSink final : public ByteSink {
 public:
  Status Write(ByteSpan data) override {
    for (size_t i = 0; i < data.size(); ++i) {
      if (data[i] != std::byte((bytes_ + i) % 251) && mismatch_ < 0) {
        mismatch_ = static_cast<int64_t>(bytes_ + i);
      }
    }
    bytes_ += data.size();
    largest_write_ = std::max(largest_write_, data.size());
    rss_.Add(data.size());
    return Status::OK();
  }
  Status Finish() override { return Status::OK(); }
  uint64_t bytes() const { return bytes_; }
  int64_t mismatch() const { return mismatch_; }  // first wrong offset, -1 if none
  size_t largest_write() const { return largest_write_; }
  long peak_rss_kib() const { return rss_.peak_kib(); }

 private:
  uint64_t bytes_ = 0;
  int64_t mismatch_ = -1;
  size_t largest_write_ = 0;
  RssSampler rss_;
};

}  // namespace zb::testing
