#include "snapshot/quiescent_copy.h"

#include <gtest/gtest.h>

#include "testutil/bolt_image.h"
#include "testutil/mem_file.h"

namespace zb::snapshot {
namespace {

using testing::BoltImage;

Result<Image> Copy(const std::vector<std::byte>& bytes, testing::MemWritableFile& out) {
  auto env = NewPosixEnv();  // not called: the copy goes through the file objects
  testing::MemFile src(bytes);
  return CopyQuiescent(*env, src, out, /*scrub=*/true);
}

// The high-water mark sized a page set before the file's size was looked
// at, and times the page size it wrapped: 2^40 pages was a bad_alloc.
TEST(CopyQuiescentTest, AHighWaterMarkPastTheFileIsRefusedBeforeAnythingIsSizedByIt) {
  for (uint64_t pgid : {uint64_t{1} << 40, ~uint64_t{0}, (uint64_t{1} << 52) + 1}) {
    BoltImage img;
    img.meta.pgid = pgid;
    img.WriteMetas();
    testing::MemWritableFile out;
    auto r = Copy(img.bytes, out);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().ToString(), "corruption: mem.db: high-water mark " + std::to_string(pgid) +
                                         " pages (txid 3) is beyond the file's size of 4 pages "
                                         "(16384 bytes)");
    EXPECT_TRUE(out.bytes.empty());
  }
}

TEST(CopyQuiescentTest, ADamagedNewestMetaGivesTheTransactionBeforeAndSaysSo) {
  BoltImage img;
  testing::MemWritableFile out;
  auto clean = Copy(img.bytes, out);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_FALSE(clean->meta_fallback);

  img.Page(0)[72] ^= std::byte{4};  // meta 0 (txid 3): checksum
  auto r = Copy(img.bytes, out);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->meta.txid, 2u);
  ASSERT_TRUE(r->meta_fallback);
  EXPECT_EQ(r->meta_fallback->damaged_slot, 0);
  EXPECT_EQ(r->meta_fallback->damaged_txid, 3u);
  EXPECT_EQ(r->meta_fallback->used_txid, 2u);
  EXPECT_EQ(r->meta_fallback->reason.rfind("checksum mismatch: stored 0x", 0), 0u);
}

TEST(CopyQuiescentTest, FallingBackToTheInitialEmptyDbIsRefused) {
  BoltImage img(6);
  img.meta.txid = 2;  // slot 0: the first commit, slot 1: bbolt's initial txid 1
  img.WriteMetas();
  img.Page(0)[72] ^= std::byte{4};
  const std::string reason = bolt::ValidateMeta(*bolt::DecodeMeta(img.Page(0))).message();
  testing::MemWritableFile out;
  auto r = Copy(img.bytes, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().ToString(),
            "corruption: mem.db: meta page 0 (txid 2) is damaged (" + reason +
                ") and the other meta page holds txid 1, the empty DB bbolt starts with, but the "
                "file (6 pages) has commits; refusing to take an empty DB in place of the data "
                "(run 'ziti-backup check mem.db')");
  EXPECT_TRUE(out.bytes.empty());
}

}  // namespace
}  // namespace zb::snapshot
