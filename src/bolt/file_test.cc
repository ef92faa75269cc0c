#include "bolt/file.h"

#include <gtest/gtest.h>

#include "bolt/freelist.h"
#include "testutil/bolt_image.h"
#include "testutil/mem_file.h"

namespace zb::bolt {
namespace {

using testing::BoltImage;
using testing::MemFile;

TEST(BoltFileTest, APageSizeOutsideBboltsRangeIsNotTrusted) {
  for (uint32_t size : {512u, 32u << 20, 256u << 20}) {
    BoltImage img;
    img.meta.page_size = size;
    img.WriteMetas();
    MemFile file(img.bytes);
    auto r = BoltFile::Open(file);
    ASSERT_FALSE(r.ok()) << size;
    EXPECT_EQ(r.status().code(), Code::kCorruption);
    EXPECT_EQ(r.status().message(),
              "mem.db: not a bbolt file (no valid meta page; size 16384 bytes; the meta page at "
              "offset 0 says page size " +
                  std::to_string(size) + ", outside bbolt's range of 1024 to 16777216)");
  }
}

TEST(BoltFileTest, AHighWaterMarkPastTheFileIsCorruption) {
  BoltImage img;
  MemFile file(img.bytes);
  auto bolt = BoltFile::Open(file);
  ASSERT_TRUE(bolt.ok());
  Meta m = img.meta;
  EXPECT_TRUE(bolt->CheckHighWater(m).ok());
  m.pgid = uint64_t{1} << 40;
  EXPECT_EQ(bolt->CheckHighWater(m).ToString(),
            "corruption: mem.db: high-water mark 1099511627776 pages (txid 3) is beyond the "
            "file's size of 4 pages (16384 bytes)");
}

TEST(BoltFileTest, AFileThatGrowsIsLookedAtAgain) {
  BoltImage img;
  MemFile file(img.bytes);
  auto bolt = BoltFile::Open(file);
  ASSERT_TRUE(bolt.ok());
  Meta m = img.meta;
  m.pgid = 6;
  EXPECT_FALSE(bolt->CheckHighWater(m).ok());
  img.bytes.resize(6 * BoltImage::kPageSize);  // the writer grew the file
  EXPECT_TRUE(bolt->CheckHighWater(m).ok());
  EXPECT_EQ(bolt->pages(), 6u);
}

// id * page size wrapped: page 2^52 + 2 was read from page 2's offset.
TEST(BoltFileTest, PageIdsPastTheFileAreRefusedBeforeAnOffsetIsComputed) {
  BoltImage img;
  MemFile file(img.bytes);
  auto bolt = BoltFile::Open(file);
  ASSERT_TRUE(bolt.ok());
  std::vector<std::byte> buf;
  auto r = bolt->ReadPage((uint64_t{1} << 52) + 2, ~uint64_t{0}, buf);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "page 4503599627370498: lies past the end of the file (16384 bytes)");
  EXPECT_FALSE(bolt->ReadOnePage(~uint64_t{0}, buf).ok());
}

TEST(BoltFileTest, AFreelistOverflowLongerThanTheFileNeedsIsNotRead) {
  BoltImage img(64);
  img.meta.pgid = 64;
  img.WriteMetas();
  img.Header(2, kFreelistPageFlag, 0, 60);
  MemFile file(img.bytes);
  auto bolt = BoltFile::Open(file);
  ASSERT_TRUE(bolt.ok());
  EXPECT_EQ(MaxFreelistPages(4096, 64), 1u);
  EXPECT_EQ(MaxFreelistPages(4096, 1000), 2u);  // 16 + 8 + 8000 bytes
  auto r = ReadFreelist(*bolt, img.meta);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "freelist page 2: overflow of 60 pages is more than a list of every page in the file "
            "needs");
}

}  // namespace
}  // namespace zb::bolt
