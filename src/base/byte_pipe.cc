#include "base/byte_pipe.h"

#include <algorithm>

namespace zb {

BytePipe::BytePipe(size_t capacity) : ring_(std::max<size_t>(capacity, 1)) {}

void BytePipe::Close(Status status) {
  std::lock_guard lock(mu_);
  if (closed_) return;
  closed_ = true;
  end_ = std::move(status);
  changed_.notify_all();
}

void BytePipe::Abandon() {
  std::lock_guard lock(mu_);
  abandoned_ = true;
  changed_.notify_all();
}

Status BytePipe::Write(ByteSpan data) {
  std::unique_lock lock(mu_);
  while (!data.empty()) {
    changed_.wait(lock, [&] { return abandoned_ || closed_ || size_ < ring_.size(); });
    if (abandoned_) return Status::Aborted("the reader of the pipe stopped");
    if (closed_) return Status::Aborted("write to a closed pipe");
    // Up to the end of the ring, then the loop wraps around.
    const size_t tail = (head_ + size_) % ring_.size();
    const size_t n = std::min({data.size(), ring_.size() - size_, ring_.size() - tail});
    std::copy_n(data.data(), n, ring_.data() + tail);
    size_ += n;
    data = data.subspan(n);
    changed_.notify_all();
  }
  return Status::OK();
}

Result<size_t> BytePipe::Read(MutableByteSpan dst) {
  if (dst.empty()) return size_t{0};
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return size_ > 0 || closed_; });
  if (size_ == 0) {
    if (!end_.ok()) return end_;
    return size_t{0};
  }
  const size_t n = std::min({dst.size(), size_, ring_.size() - head_});
  std::copy_n(ring_.data() + head_, n, dst.data());
  head_ = (head_ + n) % ring_.size();
  size_ -= n;
  read_any_ = true;
  changed_.notify_all();
  return n;
}

Status BytePipe::Rewind() {
  std::lock_guard lock(mu_);
  if (read_any_) return Status::Aborted("a pipe cannot start over");
  return Status::OK();
}

}  // namespace zb
