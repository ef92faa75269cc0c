#include "bolt/page.h"

#include <gtest/gtest.h>

#include <vector>

namespace zb::bolt {
namespace {

// A leaf page with `n` elements of the given (pos-from-page-start, size).
std::vector<std::byte> Leaf(const std::vector<std::pair<uint32_t, uint32_t>>& elems) {
  std::vector<std::byte> p(4096);
  EncodePageHeader(PageHeader{3, kLeafPageFlag, static_cast<uint16_t>(elems.size()), 0}, p);
  for (size_t i = 0; i < elems.size(); ++i) {
    const uint32_t at = 16 + 16 * static_cast<uint32_t>(i);
    StoreLE<uint32_t>(p, at + 4, elems[i].first - at);
    StoreLE<uint32_t>(p, at + 8, elems[i].second);  // key only
  }
  return p;
}

ElementLayout Layout(const std::vector<std::pair<uint32_t, uint32_t>>& elems) {
  auto p = Leaf(elems);
  return CheckElementLayout(p, *DecodePageHeader(p));
}

using P = ElementLayout::Problem;

TEST(CheckElementLayoutTest, BackToBackIsFineAndSoIsAGapBeforeTheFirst) {
  EXPECT_EQ(Layout({{48, 5}, {53, 7}}).problem, P::kNone);
  EXPECT_EQ(Layout({{100, 5}, {105, 7}}).problem, P::kNone);
  EXPECT_EQ(Layout({}).problem, P::kNone);
}

// The element headers end at 16 + 16 * count: 48 for two elements, 64 for
// three, 80 for four.
TEST(CheckElementLayoutTest, NamesTheFirstMisplacedElementAndWhatItHits) {
  auto gap = Layout({{48, 5}, {60, 7}});
  EXPECT_EQ(gap.problem, P::kGap);
  EXPECT_EQ(gap.element, 1);
  EXPECT_EQ(gap.begin, 60u);
  EXPECT_EQ(gap.expected, 53u);
  EXPECT_TRUE(gap.disjoint);

  auto headers = Layout({{48, 5}, {33, 7}});  // element 1's header is bytes 32..48
  EXPECT_EQ(headers.problem, P::kOverlapsHeaders);
  EXPECT_EQ(headers.element, 1);
  EXPECT_FALSE(headers.disjoint);

  auto onto = Layout({{64, 5}, {69, 7}, {66, 4}});
  EXPECT_EQ(onto.problem, P::kOverlapsElement);
  EXPECT_EQ(onto.element, 2);
  EXPECT_EQ(onto.other, 0);
  EXPECT_EQ(onto.begin, 66u);
  EXPECT_EQ(onto.end, 70u);
  EXPECT_FALSE(onto.disjoint);

  auto swapped = Layout({{55, 5}, {48, 7}});  // disjoint, out of order
  EXPECT_EQ(swapped.problem, P::kGap);
  EXPECT_EQ(swapped.element, 1);
  EXPECT_TRUE(swapped.disjoint);

  // A gap first, an overlap later: the gap is named, the overlap counted.
  auto both = Layout({{80, 5}, {90, 7}, {100, 3}, {101, 2}});
  EXPECT_EQ(both.problem, P::kGap);
  EXPECT_EQ(both.element, 1);
  EXPECT_FALSE(both.disjoint);
}

TEST(CheckElementLayoutTest, ElementsLeavingThePageAreLeftToTheWalk) {
  // The walk reports them as bad elements when it reaches them.
  EXPECT_EQ(Layout({{48, 5}, {4090, 100}}).problem, P::kNone);
  EXPECT_EQ(Layout({{48, 5}, {53, 5000}}).problem, P::kNone);
}

}  // namespace
}  // namespace zb::bolt
