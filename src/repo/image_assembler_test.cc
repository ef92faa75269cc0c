#include "repo/image_assembler.h"

#include <gtest/gtest.h>

#include "codec/sha256_sink.h"
#include "testutil/mem_file.h"

namespace zb::repo {
namespace {

constexpr uint32_t kPs = 512;

// Page `n` of version `tag`: every byte says which.
std::vector<std::byte> PageOf(char tag, uint64_t n) {
  std::vector<std::byte> p(kPs);
  for (size_t i = 0; i < kPs; ++i) p[i] = static_cast<std::byte>(tag + (n * 3 + i) % 7);
  return p;
}

std::string Image(char tag, uint64_t pages) {
  std::string out;
  for (uint64_t n = 0; n < pages; ++n) {
    auto p = PageOf(tag, n);
    out.append(reinterpret_cast<const char*>(p.data()), p.size());
  }
  return out;
}

std::string PackOf(char tag, const std::vector<uint64_t>& pages, PagePackHeader h) {
  PagePackSource src(h, pages, [&](uint64_t n, MutableByteSpan out) {
    auto p = PageOf(tag, n);
    std::copy(p.begin(), p.end(), out.begin());
    return Status::OK();
  });
  StringSink out;
  EXPECT_TRUE(Pump(src, out).ok());
  return out.data();
}

// Writes `bytes` into `sink` in writes of `step`, then finishes it.
Status Feed(ByteSink& sink, const std::string& bytes, size_t step) {
  const ByteSpan all = AsBytes(bytes);
  for (size_t at = 0; at < all.size(); at += step) {
    ZB_RETURN_IF_ERROR(sink.Write(all.subspan(at, std::min(step, all.size() - at))));
  }
  return sink.Finish();
}

std::vector<std::byte> PageIn(const std::vector<std::byte>& file, uint64_t n) {
  return std::vector<std::byte>(file.begin() + n * kPs, file.begin() + (n + 1) * kPs);
}

TEST(ImageAssemblerTest, TheNewestCopyOfEachPageWinsAndTheBaseFillsTheRest) {
  const PagePackHeader image{.page_size = kPs, .page_count = 10, .txid = 9};
  for (size_t step : {size_t{1}, size_t{100}, size_t{kPs}, size_t{5000}}) {
    testing::MemWritableFile out;
    ImageAssembler a(out, image);
    // Newest first: pack 2, pack 1, then the base (an older, larger image).
    ASSERT_TRUE(Feed(*a.PackSink("p2", image), PackOf('x', {1, 9}, image), step).ok());
    // An older pack, made for an older image of 11 pages (the DB shrank
    // since): its page 10 is past this image and is not written.
    const PagePackHeader older{.page_size = kPs, .page_count = 11, .txid = 5};
    ASSERT_TRUE(Feed(*a.PackSink("p1", older), PackOf('y', {1, 3, 10}, older), step).ok());
    ASSERT_TRUE(Feed(*a.BaseSink("base"), Image('b', 12), step).ok());
    ASSERT_TRUE(a.Finish().ok());
    ASSERT_EQ(out.bytes.size(), 10u * kPs) << "cut to the image";
    for (uint64_t n = 0; n < 10; ++n) {
      const char want = n == 1 || n == 9 ? 'x' : n == 3 ? 'y' : 'b';
      EXPECT_EQ(PageIn(out.bytes, n), PageOf(want, n)) << "page " << n << " step " << step;
    }
    EXPECT_EQ(a.pages_written(), 10u);
  }
}

TEST(ImageAssemblerTest, AnImageThatGrewTakesItsNewPagesFromPacks) {
  const PagePackHeader image{.page_size = kPs, .page_count = 12, .txid = 9};
  testing::MemWritableFile out;
  ImageAssembler a(out, image);
  ASSERT_TRUE(Feed(*a.PackSink("p1", image), PackOf('x', {10, 11}, image), 64).ok());
  ASSERT_TRUE(Feed(*a.BaseSink("base"), Image('b', 10), 64).ok());
  ASSERT_TRUE(a.Finish().ok());
  EXPECT_EQ(PageIn(out.bytes, 11), PageOf('x', 11));
  EXPECT_EQ(PageIn(out.bytes, 9), PageOf('b', 9));
}

TEST(ImageAssemblerTest, APageNoObjectBringsIsNamed) {
  const PagePackHeader image{.page_size = kPs, .page_count = 12, .txid = 9};
  testing::MemWritableFile out;
  ImageAssembler a(out, image);
  ASSERT_TRUE(Feed(*a.PackSink("p1", image), PackOf('x', {10}, image), 64).ok());
  ASSERT_TRUE(Feed(*a.BaseSink("base"), Image('b', 10), 64).ok());
  EXPECT_EQ(a.Finish().ToString(), "corruption: page 11 of 12 is in no object of the chain");
}

TEST(ImageAssemblerTest, AForgedPageCountSizesNothing) {
  // A manifest claiming 2^50 pages: the bitmap holds only what was written,
  // and the missing page is found at once.
  const PagePackHeader image{.page_size = kPs, .page_count = uint64_t{1} << 50, .txid = 9};
  testing::MemWritableFile out;
  ImageAssembler a(out, image);
  ASSERT_TRUE(Feed(*a.BaseSink("base"), Image('b', 3), 64).ok());
  EXPECT_EQ(a.Finish().ToString(),
            "corruption: page 3 of 1125899906842624 is in no object of the chain");
}

TEST(ImageAssemblerTest, APackOfAnotherPageSizeIsRefused) {
  const PagePackHeader image{.page_size = kPs, .page_count = 2, .txid = 9};
  testing::MemWritableFile out;
  ImageAssembler a(out, image);
  auto sink = a.PackSink("x.pages.zst", {.page_size = 1024, .page_count = 2, .txid = 8});
  EXPECT_EQ(sink->Write(AsBytes("ZBPAGES1")).ToString(),
            "corruption: x.pages.zst: its manifest entry says 1024-byte pages, the image has "
            "512-byte pages");
  EXPECT_TRUE(out.bytes.empty());
}

TEST(ImageAssemblerTest, ABaseEndingInsideAPageIsDamaged) {
  const PagePackHeader image{.page_size = kPs, .page_count = 2, .txid = 9};
  testing::MemWritableFile out;
  ImageAssembler a(out, image);
  EXPECT_EQ(Feed(*a.BaseSink("x.base.zst"), Image('b', 2).substr(0, kPs + 7), 64).ToString(),
            "corruption: x.base.zst: the base image ends inside page 1");
}

// The checksum taken on the way is the checksum of the file as it ends,
// whether the DB shrank (the base is longer than the image) or grew (packs
// bring pages past the base's end), in writes of any size.
TEST(ImageAssemblerTest, TheImagesHashIsTakenInPageOrderWithoutASecondPass) {
  struct Case {
    uint64_t image_pages, base_pages;
    std::vector<uint64_t> newer, older;
  };
  const std::vector<Case> cases = {
      {10, 12, {1, 9}, {1, 3}},              // shrank
      {14, 10, {0, 12, 13}, {10, 11, 12}},   // grew: 10..13 only in packs
      {6, 6, {}, {}},                        // the base alone
      {8, 8, {0, 1, 2, 3, 4, 5, 6, 7}, {}},  // every page superseded
  };
  for (const Case& c : cases) {
    for (size_t step : {size_t{1}, size_t{700}, size_t{5000}}) {
      const PagePackHeader image{.page_size = kPs, .page_count = c.image_pages, .txid = 9};
      testing::MemWritableFile out;
      testing::MemFile readback(out.bytes);
      codec::Sha256Sink sha(nullptr);
      ImageAssembler a(out, image);
      a.HashInOrder(sha, readback);
      ASSERT_TRUE(Feed(*a.PackSink("p2", image), PackOf('x', c.newer, image), step).ok());
      const PagePackHeader older{.page_size = kPs, .page_count = c.image_pages, .txid = 5};
      ASSERT_TRUE(Feed(*a.PackSink("p1", older), PackOf('y', c.older, older), step).ok());
      ASSERT_TRUE(Feed(*a.BaseSink("base"), Image('b', c.base_pages), step).ok());
      ASSERT_TRUE(a.Finish().ok());
      ASSERT_EQ(out.bytes.size(), c.image_pages * kPs);
      codec::Sha256Sink whole(nullptr);
      ASSERT_TRUE(whole.Write(out.bytes).ok());
      ASSERT_TRUE(whole.Finish().ok());
      EXPECT_EQ(sha.hex(), whole.hex()) << c.image_pages << " pages, step " << step;
      EXPECT_EQ(sha.bytes(), c.image_pages * kPs);
    }
  }
}

}  // namespace
}  // namespace zb::repo
