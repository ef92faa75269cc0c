#include "base/suggest.h"

#include <algorithm>

namespace zb {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the classic table: the swap looks two rows back.
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {

std::string_view WithoutDashes(std::string_view s) {
  while (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return s;
}

}  // namespace

std::vector<std::string> ClosestMatches(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  const std::string_view bare = WithoutDashes(word);
  const size_t limit = std::clamp<size_t>(bare.size() / 3, 1, 3);
  std::vector<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    if (c == word) continue;
    const size_t d = EditDistance(bare, WithoutDashes(c));
    if (d > limit) continue;
    if (d < best_distance) {
      best_distance = d;
      best.clear();
    }
    if (d == best_distance && std::find(best.begin(), best.end(), c) == best.end()) {
      best.push_back(c);
    }
  }
  return best;
}

}  // namespace zb
