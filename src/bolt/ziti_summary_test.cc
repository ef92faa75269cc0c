#include "bolt/ziti_summary.h"

#include <gtest/gtest.h>

#include <string>

namespace zb::bolt {
namespace {

std::string Int64Field(int64_t v) {
  std::string s(9, '\0');
  s[0] = 3;
  for (int i = 0; i < 8; ++i)
    s[1 + i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
  return s;
}

TEST(ZitiCollectorTest, CountsRecordsAndReadsMetadata) {
  ZitiCollector c;
  c.EnterBucket({"ziti"}, {3, 0});
  c.EnterBucket({"ziti", "identities"}, {4, 0});
  c.EnterBucket({"ziti", "identities", "id1"}, {0, 0});
  c.EnterBucket({"ziti", "identities", "id1", "tags"}, {0, 0});
  c.EnterBucket({"ziti", "identities", "id2"}, {0, 0});
  c.EnterBucket({"ziti", "services"}, {5, 0});
  c.EnterBucket({"ziti", "metadata"}, {0, 0});
  c.EnterBucket({"ziti", "indexes"}, {0, 0});
  c.EnterBucket({"ziti", "indexes", "identities.name"}, {0, 0});
  c.EnterBucket({"ziti", "versions"}, {0, 0});
  c.Key({"ziti", "metadata"}, AsBytes("raftIndex"), AsBytes(Int64Field(4242)));
  c.Key({"ziti", "metadata"}, AsBytes("clusterId"),
        AsBytes("\x05"
                "ctrl-a"));
  auto s = c.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->raft_index, 4242);
  EXPECT_EQ(s->cluster_id, "ctrl-a");
  EXPECT_EQ(s->entities, (std::map<std::string, uint64_t>{{"identities", 2}, {"services", 0}}));
}

TEST(ZitiCollectorTest, NoZitiBucketNoSummaryAndUntypedValuesIgnored) {
  ZitiCollector c;
  c.EnterBucket({"members"}, {3, 0});
  EXPECT_FALSE(c.summary());
  c.EnterBucket({"ziti"}, {4, 0});
  c.EnterBucket({"ziti", "metadata"}, {0, 0});
  c.Key({"ziti", "metadata"}, AsBytes("raftIndex"), AsBytes("12345678"));
  ASSERT_TRUE(c.summary());
  EXPECT_FALSE(c.summary()->raft_index);
  EXPECT_FALSE(c.summary()->cluster_id);
}

}  // namespace
}  // namespace zb::bolt
