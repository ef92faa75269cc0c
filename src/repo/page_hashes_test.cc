#include "repo/page_hashes.h"

#include <gtest/gtest.h>

#include "repo/chain_state.h"
#include "testutil/mem_file.h"

namespace zb::repo {
namespace {

PageHashKey Key() {
  PageHashKey k{};
  k[0] = std::byte{7};
  return k;
}

std::vector<std::byte> Image(uint64_t pages, uint32_t page_size) {
  std::vector<std::byte> b(pages * page_size);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::byte>((i / page_size) * 13 + i % 5);
  return b;
}

TEST(HashPagesTest, OneHashPerPageEachAsThePageHashes) {
  // 600 pages of 4 KiB: more than one read.
  const std::vector<std::byte> bytes = Image(600, 4096);
  testing::MemFile file(bytes);
  auto hasher = PageHasher::Create(Key());
  auto hashes = HashPages(file, 4096, *hasher);
  ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
  ASSERT_EQ(hashes->size(), 600u);
  for (uint64_t p : {uint64_t{0}, uint64_t{255}, uint64_t{256}, uint64_t{599}}) {
    EXPECT_EQ((*hashes)[p], *hasher->Of(ByteSpan(bytes.data() + p * 4096, 4096))) << p;
  }
}

TEST(HashPagesTest, TheChangedPagesAreFound) {
  std::vector<std::byte> before = Image(40, 512), after = before;
  after[3 * 512 + 100] ^= std::byte{1};
  after[39 * 512] ^= std::byte{1};
  after.resize(42 * 512);  // two new pages, zeros
  testing::MemFile a(before), b(after);
  auto hasher = PageHasher::Create(Key());
  auto ha = HashPages(a, 512, *hasher), hb = HashPages(b, 512, *hasher);
  ASSERT_TRUE(ha.ok() && hb.ok());
  EXPECT_EQ(ChangedPages(*ha, *hb), (std::vector<uint64_t>{3, 39, 40, 41}));
}

TEST(HashPagesTest, AFileThatIsNotWholePagesIsRefused) {
  std::vector<std::byte> bytes = Image(2, 512);
  bytes.pop_back();
  testing::MemFile file(bytes, "/stage/x.db");
  auto hasher = PageHasher::Create(Key());
  EXPECT_EQ(HashPages(file, 512, *hasher).status().ToString(),
            "corruption: /stage/x.db: 1023 bytes is not a whole number of 512-byte pages");
}

}  // namespace
}  // namespace zb::repo
