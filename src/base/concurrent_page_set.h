// ConcurrentPageSet: a fixed-size set of page numbers, one bit each, that
// several threads may fill at once. TestAndSet tells exactly one caller
// that it added a page, so a parallel tree walk still sees every second
// reference to a page. Thread-safe (all operations are atomic per word).
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <memory>

namespace zb {

class ConcurrentPageSet {
 public:
  ConcurrentPageSet() = default;
  explicit ConcurrentPageSet(uint64_t bound)
      : bound_(bound), words_(new std::atomic<uint64_t>[(bound + 63) / 64]) {
    for (uint64_t i = 0; i < (bound + 63) / 64; ++i) words_[i].store(0, std::memory_order_relaxed);
  }

  uint64_t bound() const { return bound_; }
  // Adds id; true if this call added it, false if it was there already or
  // id >= bound.
  bool TestAndSet(uint64_t id) {
    if (id >= bound_) return false;
    const uint64_t bit = uint64_t{1} << (id % 64);
    return (words_[id / 64].fetch_or(bit, std::memory_order_relaxed) & bit) == 0;
  }
  bool Contains(uint64_t id) const {
    return id < bound_ && (words_[id / 64].load(std::memory_order_relaxed) >> (id % 64)) & 1;
  }
  uint64_t Count() const {
    uint64_t n = 0;
    for (uint64_t i = 0; i < (bound_ + 63) / 64; ++i) {
      n += std::popcount(words_[i].load(std::memory_order_relaxed));
    }
    return n;
  }
  void Clear() {
    for (uint64_t i = 0; i < (bound_ + 63) / 64; ++i) words_[i].store(0, std::memory_order_relaxed);
  }

 private:
  uint64_t bound_ = 0;
  std::unique_ptr<std::atomic<uint64_t>[]> words_;
};

}  // namespace zb
