// The stages combined as a backup uses them: sha256(plain) -> zstd ->
// sha256(stored) -> target, checked against the sha256sum and zstd CLIs.
#include <gtest/gtest.h>

#include <string>

#include "codec/sha256_sink.h"
#include "codec/zstd_sink.h"
#include "testutil/run.h"

namespace zb::codec {
namespace {

std::string Sha256sumOf(const std::string& path) {
  testing::RunResult r = testing::Run({"sha256sum", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, 64);
}

TEST(CodecChainTest, OnePassGivesBothChecksumsAndAStandardObject) {
  std::string plain;
  for (int i = 0; i < 200000; ++i) plain += "page " + std::to_string(i % 4099) + "\n";

  StringSink target;
  Sha256Sink stored_hash(&target);
  auto zstd = ZstdCompressSink::Create(stored_hash, 3);
  ASSERT_TRUE(zstd.ok()) << zstd.status().ToString();
  Sha256Sink plain_hash(zstd->get());
  StringSource source(plain);
  auto n = Pump(source, plain_hash, 10007);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_TRUE(plain_hash.Finish().ok());  // finishes zstd, stored_hash and target
  EXPECT_TRUE(target.finished());
  EXPECT_EQ(*n, plain.size());
  EXPECT_EQ(plain_hash.bytes(), plain.size());
  EXPECT_EQ(stored_hash.bytes(), target.data().size());

  testing::TempDir dir;
  testing::WriteFileOrDie(dir / "plain", plain);
  testing::WriteFileOrDie(dir / "stored.zst", target.data());
  EXPECT_EQ(plain_hash.hex(), Sha256sumOf(dir / "plain"));
  EXPECT_EQ(stored_hash.hex(), Sha256sumOf(dir / "stored.zst"));

  // Restore the other way round: stored bytes -> sha256 -> unzstd -> sha256.
  StringSink restored;
  Sha256Sink restored_hash(&restored);
  ZstdDecompressSink unzstd(restored_hash);
  Sha256Sink check_stored(&unzstd);
  ASSERT_TRUE(check_stored.Write(AsBytes(target.data())).ok());
  ASSERT_TRUE(check_stored.Finish().ok());
  EXPECT_EQ(check_stored.hex(), stored_hash.hex());
  EXPECT_EQ(restored_hash.hex(), plain_hash.hex());
  EXPECT_TRUE(restored.data() == plain);
}

}  // namespace
}  // namespace zb::codec
