#include "repo/chain_state.h"

#include <gtest/gtest.h>

#include "store/signing_crypto.h"

namespace zb::repo {
namespace {

PageHashKey KeyOf(uint8_t seed) {
  PageHashKey k;
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::byte>(seed + i);
  return k;
}

std::string Page(char fill, size_t size = 4096) { return std::string(size, fill); }

PageHash HashOf(PageHasher& h, const std::string& page) { return *h.Of(AsBytes(page)); }

TEST(PageHasherTest, IsTheFirstHalfOfSha256OfKeyThenPage) {
  const PageHashKey key = KeyOf(1);
  auto h = PageHasher::Create(key);
  ASSERT_TRUE(h.ok());
  const std::string page = Page('p');
  const std::string keyed =
      std::string(reinterpret_cast<const char*>(key.data()), key.size()) + page;
  const std::string hex = store::Sha256Hex(keyed);
  const PageHash got = HashOf(*h, page);
  std::string got_hex;
  for (std::byte b : got) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02x", std::to_integer<int>(b));
    got_hex += buf;
  }
  EXPECT_EQ(got_hex, hex.substr(0, 32));
  EXPECT_EQ(HashOf(*h, page), got) << "the same page, the same hash, every time";
}

TEST(PageHasherTest, ADifferentKeyOrOneBitGivesAnotherHash) {
  auto a = PageHasher::Create(KeyOf(1));
  auto b = PageHasher::Create(KeyOf(2));
  std::string page = Page('p');
  const PageHash base = HashOf(*a, page);
  EXPECT_NE(HashOf(*b, page), base);
  page[4095] ^= 1;
  EXPECT_NE(HashOf(*a, page), base);
}

TEST(PageHasherTest, NewKeysAreRandom) {
  auto a = NewPageHashKey(), b = NewPageHashKey();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

ChainState Sample(size_t pages) {
  ChainState s{.db = "/persistent/ctrl.db",
               .target = "s3://bucket/ziti",
               .head_id = "ctrl-20261202T070000Z",
               .head_manifest_sha256 = std::string(64, 'a'),
               .page_size = 4096,
               .key = KeyOf(9)};
  auto h = PageHasher::Create(s.key);
  for (size_t i = 0; i < pages; ++i) s.hashes.push_back(HashOf(*h, Page(static_cast<char>(i))));
  return s;
}

TEST(ChainStateTest, RoundTrips) {
  for (size_t pages : {size_t{0}, size_t{1}, size_t{300}}) {
    const ChainState s = Sample(pages);
    auto back = DecodeChainState(EncodeChainState(s));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, s);
  }
}

TEST(ChainStateTest, TheLockEndIsKeptAndAStateWithoutOneIsNotLocked) {
  ChainState s = Sample(2);
  s.locked_until = 1'796'000'000;
  auto back = DecodeChainState(EncodeChainState(s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->locked_until, 1'796'000'000);
  // Written without a lock (or by a version before locks): 0, which makes
  // a run on a locked target re-lock the whole chain.
  const std::string plain = EncodeChainState(Sample(2));
  EXPECT_EQ(plain.find("locked_until"), std::string::npos);
  EXPECT_EQ(DecodeChainState(plain)->locked_until, 0);
  s.locked_until = 0;
  EXPECT_EQ(*back, (ChainState{s.db, s.target, s.head_id, s.head_manifest_sha256, s.page_size,
                               s.key, s.hashes, 1'796'000'000}));
}

// A file with `header` as its JSON line and `hashes`, with a valid checksum:
// what a bug or a forger could write.
std::string Forge(const std::string& header, const std::string& hashes) {
  std::string out = "ZBCHAIN1\n" + header + "\n" + hashes;
  std::string hex = store::Sha256Hex(out);
  for (size_t i = 0; i < 64; i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string Error(std::string_view bytes) {
  auto r = DecodeChainState(bytes);
  return r.ok() ? "ok" : r.status().ToString();
}

TEST(ChainStateTest, AnyDoubtIsARefusalSayingWhy) {
  const std::string good = EncodeChainState(Sample(3));
  EXPECT_EQ(Error(""), "corruption: chain state: not a chain state file (no ZBCHAIN1)");
  EXPECT_EQ(Error(good.substr(0, 20)), "corruption: chain state: cut short");
  std::string flipped = good;
  flipped[good.size() - 40] ^= 1;  // inside the hashes
  EXPECT_EQ(Error(flipped), "corruption: chain state: its checksum does not match");
  EXPECT_EQ(Error(good.substr(0, good.size() - 16)),
            "corruption: chain state: its checksum does not match");

  const std::string key(128, 'a');
  const std::string fields = R"("db":"/d","target":"t","head_id":"i","head_manifest_sha256":"s",)";
  EXPECT_EQ(Error(Forge("{" + fields + R"("page_size":4096,"pages":2,"key":")" + key + "\"}",
                        std::string(16, 'h'))),
            "corruption: chain state: it says 2 pages but holds 16 bytes of hashes");
  EXPECT_EQ(Error(Forge("{" + fields + R"("page_size":4096,"pages":1152921504606846976,"key":")" +
                            key + "\"}",
                        std::string(16, 'h'))),
            "corruption: chain state: it says 1152921504606846976 pages but holds 16 bytes of "
            "hashes");
  EXPECT_EQ(Error(Forge("{" + fields + R"("page_size":4000,"pages":1,"key":")" + key + "\"}",
                        std::string(16, 'h'))),
            "corruption: chain state: page size 4000");
  EXPECT_EQ(Error(Forge("{" + fields + R"("page_size":4096,"pages":1,"key":"zz"})",
                        std::string(16, 'h'))),
            "corruption: chain state: its key is not 128 hex digits");
  EXPECT_EQ(Error(Forge(R"({"db":"/d","page_size":4096})", "")),
            "corruption: chain state: its header lacks a field or has one of the wrong type");
  EXPECT_EQ(Error(Forge("not json", "")), "corruption: chain state: its header is not JSON");
  auto ok = DecodeChainState(Forge(
      "{" + fields + R"("page_size":4096,"pages":1,"key":")" + key + "\"}", std::string(16, 'h')));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->hashes.size(), 1u);
}

TEST(ChainStateTest, ChangedPagesAreTheDifferentAndTheNew) {
  const ChainState s = Sample(5);
  std::vector<PageHash> now = s.hashes;
  EXPECT_TRUE(ChangedPages(s.hashes, now).empty());
  now[1][0] ^= std::byte{1};
  now[4][15] ^= std::byte{1};
  now.push_back(now[0]);  // the image grew by a page, a copy of page 0
  EXPECT_EQ(ChangedPages(s.hashes, now), (std::vector<uint64_t>{1, 4, 5}));
  now.resize(3);  // and shrank: what is past the end is not in the image
  EXPECT_EQ(ChangedPages(s.hashes, now), (std::vector<uint64_t>{1}));
}

}  // namespace
}  // namespace zb::repo
