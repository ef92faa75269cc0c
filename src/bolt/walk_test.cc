#include "bolt/walk.h"

#include <gtest/gtest.h>

#include "bolt/finding.h"

namespace zb::bolt {
namespace {

TEST(CompareKeysTest, BytewiseThenShorterFirst) {
  EXPECT_EQ(CompareKeys(AsBytes("a"), AsBytes("b")), -1);
  EXPECT_EQ(CompareKeys(AsBytes("b"), AsBytes("a")), 1);
  EXPECT_EQ(CompareKeys(AsBytes("ab"), AsBytes("ab")), 0);
  EXPECT_EQ(CompareKeys(AsBytes("a"), AsBytes("ab")), -1);
  EXPECT_EQ(CompareKeys(AsBytes(""), AsBytes("")), 0);
  EXPECT_EQ(CompareKeys(AsBytes("\xff"), AsBytes("\x01")), 1);  // unsigned bytes
}

TEST(FindingTest, NamesAndMessagesCarryThePage) {
  Finding f{FindingKind::kReachedTwice, 12, "multiple references (from page 9)"};
  EXPECT_EQ(f.ToString(), "page 12: multiple references (from page 9)");
  EXPECT_EQ(FindingKindName(FindingKind::kUnreachableUnfreed), "unreachable-unfreed");
  EXPECT_EQ(FindingKindName(FindingKind::kKeyOrder), "key-order");
}

}  // namespace
}  // namespace zb::bolt
