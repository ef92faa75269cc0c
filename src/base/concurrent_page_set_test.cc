#include "base/concurrent_page_set.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace zb {
namespace {

TEST(ConcurrentPageSetTest, TestAndSetTellsOneCallerAndCounts) {
  ConcurrentPageSet s(130);
  EXPECT_TRUE(s.TestAndSet(0));
  EXPECT_FALSE(s.TestAndSet(0));
  EXPECT_TRUE(s.TestAndSet(129));
  EXPECT_FALSE(s.TestAndSet(130));  // past the bound
  EXPECT_TRUE(s.Contains(129));
  EXPECT_FALSE(s.Contains(64));
  EXPECT_EQ(s.Count(), 2u);
  s.Clear();
  EXPECT_EQ(s.Count(), 0u);
}

TEST(ConcurrentPageSetTest, ExactlyOneThreadWinsEachPage) {
  ConcurrentPageSet s(10000);
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (uint64_t id = 0; id < 10000; ++id) wins += s.TestAndSet(id);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 10000);
  EXPECT_EQ(s.Count(), 10000u);
}

}  // namespace
}  // namespace zb
