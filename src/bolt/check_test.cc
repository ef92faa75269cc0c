// Check on crafted files: bounds (nothing is sized by a number the file
// does not back), element layouts bbolt never writes, undefined flag bits.
#include "bolt/check.h"

#include <gtest/gtest.h>

#include "testutil/bolt_image.h"
#include "testutil/mem_file.h"

namespace zb::bolt {
namespace {

using testing::BoltImage;

CheckReport CheckBytes(const std::vector<std::byte>& bytes) {
  testing::MemFile file(bytes);
  auto r = Check(file);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : CheckReport{};
}

std::vector<std::string> Lines(const CheckReport& r) {
  std::vector<std::string> lines;
  for (const auto& f : r.findings) lines.push_back(f.ToString());
  return lines;
}

using Lines_ = std::vector<std::string>;

TEST(CheckCraftedTest, TheCraftedImageIsClean) {
  BoltImage img;
  auto r = CheckBytes(img.bytes);
  EXPECT_EQ(Lines(r), Lines_{});
  EXPECT_EQ(r.meta->txid, 3u);
  EXPECT_EQ(r.reachable_pages, 4u);
}

// A meta claiming more pages than the file has sized two page sets and a
// loop by it: 2^40 pages were 256 GiB of bits (bad_alloc), 2^64-1 wrapped
// the set's size to 0 (writes out of bounds), 2^52+1 pages times 4096
// wrapped to 4096 bytes (no finding at all).
TEST(CheckBoundsTest, AHighWaterMarkPastTheFileIsOneFindingAndNothingIsSizedByIt) {
  for (uint64_t pgid : {uint64_t{1} << 40, ~uint64_t{0}, (uint64_t{1} << 52) + 1}) {
    BoltImage img;
    img.meta.pgid = pgid;
    img.WriteMetas();
    auto r = CheckBytes(img.bytes);
    EXPECT_EQ(Lines(r), Lines_{"page 4: high-water mark " + std::to_string(pgid) +
                               " pages is beyond the file's size of 4 pages (16384 bytes)"})
        << pgid;
  }
}

TEST(CheckBoundsTest, AFreelistLongerThanAListOfEveryPageIsNotRead) {
  BoltImage img(8);
  img.meta.pgid = 8;
  img.WriteMetas();
  img.Freelist(2, {4, 5, 6, 7});
  // One page holds the ids of 500 pages: an overflow of 4 is damage, and
  // reading it would take memory the list cannot use.
  img.Header(2, kFreelistPageFlag, 4, 4);
  EXPECT_EQ(Lines(CheckBytes(img.bytes)),
            (Lines_{"page 2: freelist overflow of 4 pages is more than a list of every page in "
                    "the file needs",
                    "page 4: unreachable and not in the freelist, like the 3 pages after it "
                    "(through page 7)"}));
}

TEST(CheckBoundsTest, PageIdsPastTheFileAreFindingsWithoutOverflowingAnOffset) {
  BoltImage img;
  // (2^52 + 3) * 4096 wraps to page 3's offset.
  img.meta.root.root = (uint64_t{1} << 52) + 3;
  img.meta.pgid = ~uint64_t{0};
  img.WriteMetas();
  auto r = CheckBytes(img.bytes);
  EXPECT_EQ(Lines(r),
            (Lines_{"page 4: high-water mark 18446744073709551615 pages is beyond "
                    "the file's size of 4 pages (16384 bytes)",
                    "page 4503599627370499: lies past the end of the file (16384 bytes)"}));
}

// Element layouts: bbolt writes each key and value right after the one
// before, the first after the element headers.
class ElementLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override { img_.Leaf(3, {{"a", "1"}, {"b", "2"}, {"c", "3"}}); }
  // Data starts at 16 + 3 * 16 = 64: "a1" 64..66, "b2" 66..68, "c3" 68..70.
  void Move(size_t i, uint32_t to) {
    img_.SetLeafElement(3, i, 0, to - (16 + 16 * static_cast<uint32_t>(i)), 1, 1);
  }
  BoltImage img_;
};

TEST_F(ElementLayoutTest, OverlappingElementsAreReportedAndNotWalked) {
  Move(2, 66);  // onto element 1's "b2"
  EXPECT_EQ(Lines(CheckBytes(img_.bytes)),
            Lines_{"page 3: leaf element 2's key and value (bytes 66..68 of the page) overlap "
                   "element 1's; from it on, the page's elements are not walked"});
}

TEST_F(ElementLayoutTest, ElementsInTheHeadersAreReported) {
  Move(1, 32);  // its own element header
  EXPECT_EQ(
      Lines(CheckBytes(img_.bytes)),
      Lines_{"page 3: leaf element 1's key and value (bytes 32..34 of the page) overlap "
             "the element headers (bytes 16..64); from it on, the page's elements are not walked"});
}

TEST_F(ElementLayoutTest, AGapBetweenElementsIsReportedAndTheRestStillChecked) {
  auto page = img_.Page(3);
  page[72] = std::byte{'c'};
  page[73] = std::byte{'3'};
  Move(2, 72);
  EXPECT_EQ(Lines(CheckBytes(img_.bytes)),
            Lines_{"page 3: leaf element 2's key and value start at byte 72 of the page, not at "
                   "byte 68 right after element 1's (bbolt writes them back to back)"});
}

TEST_F(ElementLayoutTest, ElementsOutOfOrderAreNoncontiguousAndTheirKeysStillCompared) {
  Move(0, 66);
  Move(1, 64);  // "a1" and "b2" swap places: keys b, a, c
  EXPECT_EQ(Lines(CheckBytes(img_.bytes)),
            (Lines_{"page 3: leaf element 1's key and value start at byte 64 of the page, not at "
                    "byte 68 right after element 0's (bbolt writes them back to back)",
                    "page 3: key 1 of leaf is not greater than the key before it (keys out of "
                    "order)"}));
}

TEST_F(ElementLayoutTest, AGapBeforeTheFirstElementIsWhatBboltSurgeryLeaves) {
  // `bbolt surgery clear-page-elements` drops the last element by lowering
  // the count; the data stays after the old, longer header array.
  img_.Header(3, kLeafPageFlag, 2);
  EXPECT_EQ(Lines(CheckBytes(img_.bytes)), Lines_{});
}

TEST(ElementLayoutBranchTest, OverlappingBranchKeysAreNotComparedButTheChildrenAreWalked) {
  BoltImage img(7);
  img.meta.pgid = 7;
  img.WriteMetas();
  // Branch page 3 -> leaves 4, 5, 6 with keys a, c, e.
  img.Header(3, kBranchPageFlag, 3);
  auto page = img.Page(3);
  const char* keys = "ace";
  for (uint32_t i = 0; i < 3; ++i) {
    const uint32_t at = 16 + 16 * i;
    StoreLE<uint32_t>(page, at, 64 + i - at);
    StoreLE<uint32_t>(page, at + 4, 1);
    StoreLE<uint64_t>(page, at + 8, 4 + i);
    page[64 + i] = static_cast<std::byte>(keys[i]);
  }
  img.Leaf(4, {{"a", "1"}});
  img.Leaf(5, {{"c", "1"}});
  img.Leaf(6, {{"e", "1"}});
  ASSERT_EQ(Lines(CheckBytes(img.bytes)), Lines_{});
  StoreLE<uint32_t>(page, 48, 65 - 48);  // element 2's key onto element 1's
  EXPECT_EQ(Lines(CheckBytes(img.bytes)),
            Lines_{"page 3: branch element 2's key (bytes 65..66 of the page) overlaps element "
                   "1's; the page's keys are not compared"});
}

// Overlapping keys made a walk compare the same bytes once per element:
// 8000 keys of ~250 KiB starting at one byte, each one byte longer (so in
// order), were 2 GB of comparisons for a 256 KiB page.
TEST(ElementLayoutBranchTest, OverlappingKeysCostNoComparisons) {
  BoltImage img(67);
  img.meta.pgid = 67;
  img.WriteMetas();
  const uint32_t count = 8000, start = 16 + 16 * count, bytes = 64 * BoltImage::kPageSize;
  img.Header(3, kLeafPageFlag, count, 63);
  for (uint32_t i = 0; i < count; ++i) {
    img.SetLeafElement(3, i, 0, start - (16 + 16 * i), bytes - start - count + i, 0);
  }
  EXPECT_EQ(Lines(CheckBytes(img.bytes)),
            Lines_{"page 3: leaf element 1's key and value (bytes 128016..254145 of the page) "
                   "overlap element 0's; from it on, the page's elements are not walked"});
}

TEST(UnknownFlagsTest, PageElementMetaAndFreelistFlagBitsBboltDoesNotDefine) {
  {
    BoltImage img;
    img.SetLeafElement(3, 1, 0x4, 50 - 32, 1, 1);  // "b2" stays at byte 50
    EXPECT_EQ(
        Lines(CheckBytes(img.bytes)),
        Lines_{"page 3: leaf element 1 has flags 0x4, with bits bbolt does not define (0x4)"});
  }
  {
    BoltImage img;
    img.Header(3, kLeafPageFlag | 0x40, 2);
    EXPECT_EQ(Lines(CheckBytes(img.bytes)),
              Lines_{"page 3: page flags 0x42 have bits bbolt does not define (0x40), expected "
                     "branch or leaf"});
  }
  {
    BoltImage img;
    img.meta.flags = 1;
    img.WriteMetas();
    EXPECT_EQ(Lines(CheckBytes(img.bytes)),
              (Lines_{"page 0: meta flags 0x1 are not 0 (bbolt defines none)",
                      "page 1: meta flags 0x1 are not 0 (bbolt defines none)"}));
  }
  {
    BoltImage img;
    img.Header(0, kMetaPageFlag | 0x40, 0);
    EXPECT_EQ(Lines(CheckBytes(img.bytes)),
              Lines_{"page 0: meta page flags 0x44 have bits bbolt does not define (0x40)"});
  }
  {
    BoltImage img;
    img.Header(2, kFreelistPageFlag | 0x80, 0);
    EXPECT_EQ(Lines(CheckBytes(img.bytes)),
              Lines_{"page 2: freelist page flags 0x90 have bits bbolt does not define (0x80)"});
  }
}

}  // namespace
}  // namespace zb::bolt
