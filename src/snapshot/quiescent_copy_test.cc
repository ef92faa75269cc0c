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

}  // namespace
}  // namespace zb::snapshot
