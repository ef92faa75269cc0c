#include "repo/page_pack.h"

#include <gtest/gtest.h>

#include <map>

#include "base/bytes.h"

namespace zb::repo {
namespace {

constexpr PagePackHeader kHeader{.page_size = 512, .page_count = 100, .txid = 42};

// Page `n` of a made-up image: every byte says which page it is in.
std::vector<std::byte> PageOf(uint64_t n, uint32_t size = 512) {
  std::vector<std::byte> p(size);
  for (size_t i = 0; i < size; ++i) p[i] = static_cast<std::byte>((n * 7 + i) & 0xff);
  return p;
}

std::string Pack(const std::vector<uint64_t>& pages, PagePackHeader h = kHeader) {
  PagePackSource src(h, pages, [&](uint64_t n, MutableByteSpan out) {
    auto p = PageOf(n, h.page_size);
    std::copy(p.begin(), p.end(), out.begin());
    return Status::OK();
  });
  StringSink out;
  auto pumped = Pump(src, out, 100);  // an odd chunk, to cross every boundary
  EXPECT_TRUE(pumped.ok()) << pumped.status().ToString();
  EXPECT_EQ(out.data().size(), src.size());
  return out.data();
}

// Reads `bytes` through a sink in writes of `step`; the pages it gave.
Result<std::map<uint64_t, std::vector<std::byte>>> Unpack(const std::string& bytes, size_t step,
                                                          PagePackHeader h = kHeader) {
  std::map<uint64_t, std::vector<std::byte>> got;
  PagePackSink sink(h, "x.pages.zst", [&](uint64_t n, ByteSpan page) {
    got[n].assign(page.begin(), page.end());
    return Status::OK();
  });
  const ByteSpan all = AsBytes(bytes);
  for (size_t at = 0; at < all.size(); at += step) {
    ZB_RETURN_IF_ERROR(sink.Write(all.subspan(at, std::min(step, all.size() - at))));
  }
  ZB_RETURN_IF_ERROR(sink.Finish());
  return got;
}

TEST(PagePackTest, PagesGoThroughInEveryWriteSize) {
  const std::vector<uint64_t> pages = {0, 1, 7, 63, 99};
  const std::string bytes = Pack(pages);
  EXPECT_EQ(bytes.size(), PagePackSize(512, 5));
  EXPECT_EQ(bytes.substr(0, 8), "ZBPAGES1");
  for (size_t step : {size_t{1}, size_t{8}, size_t{511}, size_t{512}, size_t{4096}, bytes.size()}) {
    auto got = Unpack(bytes, step);
    ASSERT_TRUE(got.ok()) << "step " << step << ": " << got.status().ToString();
    ASSERT_EQ(got->size(), pages.size()) << step;
    for (uint64_t n : pages) EXPECT_EQ(got->at(n), PageOf(n)) << "page " << n << " step " << step;
  }
}

TEST(PagePackTest, AnEmptyPackIsItsHeader) {
  const std::string bytes = Pack({});
  EXPECT_EQ(bytes.size(), kPagePackHeaderBytes);
  auto got = Unpack(bytes, 3);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->empty());
}

TEST(PagePackTest, RewindGivesTheSameBytes) {
  int reads = 0;
  PagePackSource src(kHeader, {3, 4}, [&](uint64_t n, MutableByteSpan out) {
    ++reads;
    auto p = PageOf(n);
    std::copy(p.begin(), p.end(), out.begin());
    return Status::OK();
  });
  StringSink a, b;
  ASSERT_TRUE(Pump(src, a).ok());
  ASSERT_TRUE(src.Rewind().ok());
  ASSERT_TRUE(Pump(src, b).ok());
  EXPECT_EQ(a.data(), b.data());
  EXPECT_EQ(reads, 4) << "each page read once per pass";
}

TEST(PagePackTest, TheSourceRefusesWhatWouldMakeABadPack) {
  auto read = [](uint64_t, MutableByteSpan) { return Status::OK(); };
  std::vector<std::byte> buf(64);
  PagePackSource unsorted(kHeader, {5, 5}, read);
  EXPECT_EQ(unsorted.Read(buf).status().code(), Code::kInvalidArgument);
  PagePackSource past(kHeader, {100}, read);
  EXPECT_EQ(past.Read(buf).status().code(), Code::kInvalidArgument);
  PagePackSource odd({.page_size = 1000, .page_count = 100}, {1}, read);
  EXPECT_EQ(odd.Read(buf).status().code(), Code::kInvalidArgument);
}

TEST(PagePackTest, APageReadErrorStopsTheStream) {
  PagePackSource src(kHeader, {1, 2}, [](uint64_t n, MutableByteSpan) {
    return n == 2 ? Status::IOError("read page 2: disk gone") : Status::OK();
  });
  StringSink out;
  EXPECT_EQ(Pump(src, out).status().ToString(),
            Status::IOError("read page 2: disk gone").ToString());
}

// Damage, each found before anything past it is believed.
TEST(PagePackTest, DamagedPacksAreRefusedWithTheReason) {
  const std::string good = Pack({2, 9});
  auto error = [](const std::string& bytes, PagePackHeader h = kHeader) {
    auto r = Unpack(bytes, 64, h);
    return r.ok() ? std::string("ok") : r.status().ToString();
  };
  EXPECT_EQ(error("X" + good.substr(1)),
            "corruption: x.pages.zst: not a page pack (no ZBPAGES1 at its start)");
  EXPECT_EQ(error(good, {.page_size = 512, .page_count = 101, .txid = 42}),
            "corruption: x.pages.zst: its header says page size 512, 100 pages, txid 42; its "
            "manifest says 512, 101, 42");
  EXPECT_EQ(error(good.substr(0, 20)), "corruption: x.pages.zst: it ends inside its header");
  EXPECT_EQ(error(good.substr(0, 40)),
            "corruption: x.pages.zst: it ends after 0 of its 2 page numbers");
  EXPECT_EQ(error(good.substr(0, good.size() - 1)),
            "corruption: x.pages.zst: it ends after 1 of its 2 pages");
  EXPECT_EQ(error(good + "z"), "corruption: x.pages.zst: it is longer than its header says");

  std::string many = good;  // a count past the image: nothing is reserved for it
  StoreLE<uint64_t>(MutableByteSpan(reinterpret_cast<std::byte*>(many.data()), many.size()), 28,
                    uint64_t{1} << 60);
  EXPECT_EQ(error(many),
            "corruption: x.pages.zst: it claims 1152921504606846976 pages of an image of 100");

  std::string swapped = good;  // numbers out of order
  auto span = MutableByteSpan(reinterpret_cast<std::byte*>(swapped.data()), swapped.size());
  StoreLE<uint64_t>(span, 36, 9);
  StoreLE<uint64_t>(span, 44, 2);
  EXPECT_EQ(error(swapped),
            "corruption: x.pages.zst: page number 2 is out of order or past the image");
  StoreLE<uint64_t>(span, 36, 2);
  StoreLE<uint64_t>(span, 44, 100);
  EXPECT_EQ(error(swapped),
            "corruption: x.pages.zst: page number 100 is out of order or past the image");
}

TEST(PagePackTest, APageConsumersErrorIsTheSinksAndSticks) {
  const std::string bytes = Pack({1, 2});
  PagePackSink sink(kHeader, "x", [](uint64_t n, ByteSpan) {
    return n == 2 ? Status::IOError("disk full") : Status::OK();
  });
  EXPECT_EQ(sink.Write(AsBytes(bytes)).ToString(), "I/O error: disk full");
  EXPECT_EQ(sink.Finish().ToString(), "I/O error: disk full");
}

TEST(PagePackTest, PageSizesBboltCanHave) {
  for (uint64_t s : {512, 1024, 4096, 16384, 65536}) EXPECT_TRUE(ValidPageSize(s)) << s;
  for (uint64_t s : {0, 256, 1000, 4097, 131072}) EXPECT_FALSE(ValidPageSize(s)) << s;
}

}  // namespace
}  // namespace zb::repo
