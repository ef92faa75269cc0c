// BytePipe: a bounded buffer between two threads, a writer that pushes
// bytes into a ByteSink (a download) and a reader that pulls them from a
// ByteSource (an upload), so an object can go from one store to another
// without being held whole anywhere. The writer ends the stream with
// Close(status): the reader sees the end (Read returns 0) only after it,
// or the status if it is an error, so a writer that checks the bytes (a
// hash) can still turn the end into an error that stops the upload before
// it commits. A reader that gives up calls Abandon(), which makes every
// later Write fail instead of waiting forever.
#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "base/stream.h"

namespace zb {

class BytePipe {
 public:
  explicit BytePipe(size_t capacity);
  BytePipe(const BytePipe&) = delete;
  BytePipe& operator=(const BytePipe&) = delete;

  // The writer's side. Write waits for room; kAborted once the reader has
  // abandoned the pipe. Finish does nothing: only Close ends the stream.
  ByteSink& sink() { return sink_; }
  // The reader's side. Read waits for bytes or the end. Rewind succeeds
  // only before the first byte is read (a pipe cannot replay).
  ByteSource& source() { return source_; }

  // Ends the stream; `status` (if not ok) is what the reader gets instead
  // of the end. Later calls do nothing.
  void Close(Status status);
  // The reader stops: writes fail from now on.
  void Abandon();

 private:
  class Sink final : public ByteSink {
   public:
    explicit Sink(BytePipe& p) : p_(p) {}
    Status Write(ByteSpan data) override { return p_.Write(data); }
    Status Finish() override { return Status::OK(); }

   private:
    BytePipe& p_;
  };
  class Source final : public ByteSource {
   public:
    explicit Source(BytePipe& p) : p_(p) {}
    Result<size_t> Read(MutableByteSpan dst) override { return p_.Read(dst); }
    Status Rewind() override { return p_.Rewind(); }

   private:
    BytePipe& p_;
  };

  Status Write(ByteSpan data);
  Result<size_t> Read(MutableByteSpan dst);
  Status Rewind();

  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::byte> ring_;  // guarded by mu_, as are the fields below
  size_t head_ = 0;              // next byte to read
  size_t size_ = 0;              // bytes buffered
  bool closed_ = false;
  Status end_;
  bool abandoned_ = false;
  bool read_any_ = false;
  Sink sink_{*this};
  Source source_{*this};
};

}  // namespace zb
