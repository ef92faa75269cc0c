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
