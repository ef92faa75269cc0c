#include "base/page_set.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace zb {
namespace {

TEST(PageSetTest, InsertContainsCountAndRuns) {
  PageSet s(200);
  for (uint64_t id : {3, 4, 5, 63, 64, 65, 199}) EXPECT_TRUE(s.Insert(id));
  EXPECT_FALSE(s.Insert(200));
  EXPECT_TRUE(s.Contains(64));
  EXPECT_FALSE(s.Contains(62));
  EXPECT_FALSE(s.Contains(1000));
  EXPECT_EQ(s.Count(), 7u);
  std::vector<std::pair<uint64_t, uint64_t>> runs;
  s.ForEachRun([&](uint64_t a, uint64_t n) { runs.emplace_back(a, n); });
  EXPECT_EQ(runs, (std::vector<std::pair<uint64_t, uint64_t>>{{3, 3}, {63, 3}, {199, 1}}));
  s.Erase(64);
  s.Grow(300);
  EXPECT_TRUE(s.Insert(250));
  EXPECT_EQ(s.Count(), 7u);
}

}  // namespace
}  // namespace zb
