// PageSet: a set of page numbers below a bound, one bit each. A 1 GiB DB
// with 4 KiB pages needs 32 KiB, so sets over whole files stay cheap.
// Not thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace zb {

class PageSet {
 public:
  PageSet() = default;
  explicit PageSet(uint64_t bound) : bound_(bound), words_((bound + 63) / 64) {}

  uint64_t bound() const { return bound_; }
  // Grows the bound (never shrinks); new pages are absent.
  void Grow(uint64_t bound) {
    if (bound <= bound_) return;
    bound_ = bound;
    words_.resize((bound + 63) / 64);
  }
  // Returns false (and does nothing) if id >= bound.
  bool Insert(uint64_t id) {
    if (id >= bound_) return false;
    words_[id / 64] |= uint64_t{1} << (id % 64);
    return true;
  }
  void Erase(uint64_t id) {
    if (id < bound_) words_[id / 64] &= ~(uint64_t{1} << (id % 64));
  }
  bool Contains(uint64_t id) const { return id < bound_ && (words_[id / 64] >> (id % 64)) & 1; }
  uint64_t Count() const {
    uint64_t n = 0;
    for (uint64_t w : words_) n += std::popcount(w);
    return n;
  }
  // Calls fn(first, count) for each maximal run of present pages, ascending.
  template <class Fn>
  void ForEachRun(Fn&& fn) const {
    uint64_t id = 0;
    while (id < bound_) {
      uint64_t w = words_[id / 64] >> (id % 64);
      if (w == 0) {
        id = (id / 64 + 1) * 64;
        continue;
      }
      id += std::countr_zero(w);
      if (id >= bound_) break;
      uint64_t start = id;
      while (id < bound_ && Contains(id)) ++id;
      fn(start, id - start);
    }
  }

 private:
  uint64_t bound_ = 0;
  std::vector<uint64_t> words_;
};

}  // namespace zb
