#include "bolt/meta.h"

#include <gtest/gtest.h>

#include <vector>

namespace zb::bolt {
namespace {

Meta Sample(Txid txid) {
  Meta m;
  m.magic = kMagic;
  m.version = kVersion;
  m.page_size = 4096;
  m.root = {3, 0};
  m.freelist = 2;
  m.pgid = 4;
  m.txid = txid;
  return m;
}

std::vector<std::byte> Page(const Meta& m, Pgid id) {
  std::vector<std::byte> p(4096);
  EncodeMetaPage(m, id, p);
  return p;
}

TEST(MetaTest, FnvMatchesKnownVectors) {
  EXPECT_EQ(Fnv1a64({}), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64(AsBytes("a")), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64(AsBytes("foobar")), 0x85944171f73967e8ull);
}

TEST(MetaTest, EncodeDecodeRoundTripsAndValidates) {
  auto p = Page(Sample(9), 1);
  auto h = DecodePageHeader(p);
  EXPECT_EQ(h->id, 1u);
  EXPECT_EQ(h->flags, kMetaPageFlag);
  auto m = DecodeMeta(p);
  ASSERT_TRUE(m);
  EXPECT_TRUE(ValidateMeta(*m).ok());
  EXPECT_EQ(m->txid, 9u);
  EXPECT_EQ(m->checksum, MetaChecksum(*m));
}

TEST(MetaTest, ValidateReportsMagicThenVersionThenChecksum) {
  Meta m = Sample(1);
  m.checksum = MetaChecksum(m);
  Meta bad = m;
  bad.magic = 1;
  bad.version = 1;
  EXPECT_EQ(ValidateMeta(bad).message(), "invalid magic 0x1");
  bad = m;
  bad.version = 1;
  EXPECT_EQ(ValidateMeta(bad).message(), "version 1 is not 2");
  bad = m;
  bad.txid = 2;
  EXPECT_EQ(ValidateMeta(bad).message().rfind("checksum mismatch: stored 0x", 0), 0u);
}

TEST(MetaTest, PickLatestPrefersHigherValidTxid) {
  auto p0 = Page(Sample(10), 0), p1 = Page(Sample(11), 1);
  EXPECT_EQ(PickLatest(p0, p1)->meta.txid, 11u);
  EXPECT_EQ(PickLatest(p0, p1)->slot, 1);
  p1[40] ^= std::byte{1};  // torn newer meta: fall back to the older one
  EXPECT_EQ(PickLatest(p0, p1)->meta.txid, 10u);
  p0[16] ^= std::byte{1};
  auto r = PickLatest(p0, p1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_EQ(r.status().message().rfind("no valid meta page: meta 0: invalid magic", 0), 0u);
}

}  // namespace
}  // namespace zb::bolt

namespace zb::bolt {
namespace {

// Both meta pages of a file: slot 0 holds txid a, slot 1 txid b; `damaged`
// (0, 1 or -1) has its checksum broken.
std::optional<MetaFallback> Fallback(Txid a, Txid b, int damaged, uint64_t file_pages) {
  auto p0 = Page(Sample(a), 0), p1 = Page(Sample(b), 1);
  if (damaged == 0) p0[72] ^= std::byte{4};
  if (damaged == 1) p1[72] ^= std::byte{4};
  auto choice = PickLatest(p0, p1);
  EXPECT_TRUE(choice.ok());
  return DetectMetaFallback(*choice, file_pages);
}

TEST(MetaFallbackTest, ADamagedNewerMetaIsAFallbackAnOlderOneIsNot) {
  EXPECT_FALSE(Fallback(10, 11, -1, 100));
  auto f = Fallback(10, 11, 1, 100);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->damaged_slot, 1);
  EXPECT_EQ(f->damaged_txid, 11u);
  EXPECT_EQ(f->used_txid, 10u);
  EXPECT_EQ(f->reason.rfind("checksum mismatch: stored 0x", 0), 0u) << f->reason;
  EXPECT_FALSE(f->initial_db);
  EXPECT_FALSE(Fallback(10, 11, 0, 100));  // meta 0 (txid 10) is the older one
}

TEST(MetaFallbackTest, FallingBackToTheInitialEmptyDbOfAFileWithCommits) {
  // The first commit (txid 2) went to slot 0; slot 1 still holds bbolt's
  // initial txid 1.
  auto f = Fallback(2, 1, 0, 6);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->damaged_txid, 2u);
  EXPECT_EQ(f->used_txid, 1u);
  EXPECT_TRUE(f->initial_db);
  EXPECT_TRUE(Fallback(2, 1, 0, 4)->initial_db);  // txid 2 claims a commit
  // Damage that hit the txid too (it reads 0 now): the file's size still
  // says it has commits.
  auto p0 = Page(Sample(0), 0), p1 = Page(Sample(1), 1);
  p0[72] ^= std::byte{4};
  auto torn = DetectMetaFallback(*PickLatest(p0, p1), 40);
  ASSERT_TRUE(torn);
  EXPECT_EQ(torn->damaged_txid, 0u);
  EXPECT_TRUE(torn->initial_db);
  EXPECT_FALSE(DetectMetaFallback(*PickLatest(p0, p1), 4));  // a fresh file: nothing lost
  // A fresh file whose meta 1 is damaged falls back to txid 0: reported,
  // not refused (there is nothing else to lose).
  auto fresh = Fallback(0, 1, 1, 4);
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(fresh->initial_db);
}

}  // namespace
}  // namespace zb::bolt
