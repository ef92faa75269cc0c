#include "bolt/stats.h"

#include <gtest/gtest.h>

namespace zb::bolt {
namespace {

PageVisit Leaf(uint64_t bytes, int level = 0, bool is_inline = false) {
  return PageVisit{is_inline ? Pgid{0} : Pgid{9}, PageHeader{9, kLeafPageFlag, 1, 0}, level,
                   is_inline, bytes};
}

TEST(StatsCollectorTest, FoldsBucketsBelowTheDepthIntoTheirAncestor) {
  StatsCollector c(1);
  c.EnterBucket({}, {3, 0});
  c.EnterBucket({"a"}, {4, 0});
  c.Page({"a"}, Leaf(4096));
  c.Key({"a"}, AsBytes("k1"), AsBytes("v"));
  c.EnterBucket({"a", "b"}, {0, 0});
  c.Page({"a", "b"}, Leaf(40, 0, true));
  c.Key({"a", "b"}, AsBytes("k2"), AsBytes("v"));
  c.Key({"a", "b"}, AsBytes("k3"), AsBytes("v"));
  c.LeaveBucket({"a", "b"});
  c.LeaveBucket({"a"});
  c.LeaveBucket({});
  const DbStats& s = c.stats();
  ASSERT_EQ(s.buckets.size(), 1u);
  const BucketStats& a = s.buckets[0];
  EXPECT_EQ(a.name, "a");
  EXPECT_EQ(a.depth, 1);
  EXPECT_EQ(a.keys, 1u);
  EXPECT_EQ(a.sub_buckets, 1u);
  EXPECT_EQ(a.leaf_pages, 1u);
  EXPECT_EQ(a.bytes, 4096u);
  EXPECT_EQ(a.total_keys, 3u);
  EXPECT_EQ(a.total_buckets, 1u);
  EXPECT_EQ(a.total_bytes, 4136u);
  EXPECT_EQ(s.keys, 3u);
  EXPECT_EQ(s.buckets_total, 2u);
  EXPECT_EQ(s.max_bucket_depth, 2);
}

TEST(StatsCollectorTest, DepthZeroListsEveryBucketInPreOrder) {
  StatsCollector c(0);
  c.EnterBucket({}, {3, 0});
  c.EnterBucket({"a"}, {4, 0});
  c.EnterBucket({"a", "b"}, {0, 0});
  c.LeaveBucket({"a", "b"});
  c.LeaveBucket({"a"});
  c.EnterBucket({"c"}, {5, 0});
  c.Page({"c"}, Leaf(4096, 1));
  c.LeaveBucket({"c"});
  c.LeaveBucket({});
  const auto& b = c.stats().buckets;
  ASSERT_EQ(b.size(), 3u);
  std::vector<BucketPath> paths;
  ForEachPath(c.stats(), [&](const BucketStats&, const BucketPath& p) { paths.push_back(p); });
  EXPECT_EQ(paths, (std::vector<BucketPath>{{"a"}, {"a", "b"}, {"c"}}));
  EXPECT_EQ(b[1].name, "b");
  EXPECT_TRUE(b[1].is_inline);
  EXPECT_EQ(b[2].name, "c");
  EXPECT_EQ(b[2].tree_depth, 2);
}

TEST(PrintableNameTest, Utf8AsIsOtherwiseHex) {
  EXPECT_EQ(PrintableName("identities"), "identities");
  EXPECT_EQ(PrintableName("h\xc3\xa9"), "h\xc3\xa9");
  EXPECT_EQ(PrintableName(std::string("\x00\xff", 2)), "hex:00ff");
  EXPECT_EQ(PrintableName("\xc0\x80"), "hex:c080");        // overlong
  EXPECT_EQ(PrintableName("\xed\xa0\x80"), "hex:eda080");  // surrogate
  EXPECT_EQ(PrintableName(""), "");
}

}  // namespace
}  // namespace zb::bolt
