#include "codec/encode_source.h"

#include <gtest/gtest.h>

#include <random>

#include "codec/sha256_sink.h"
#include "codec/zstd_sink.h"

namespace zb::codec {
namespace {

std::string Compressible(size_t n) {
  std::mt19937 rng(3);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = "abcdefgh"[rng() % 8];
  return s;
}

std::string ReadAll(ByteSource& src, size_t chunk) {
  std::string out;
  std::vector<std::byte> buf(chunk);
  while (true) {
    auto n = src.Read(buf);
    EXPECT_TRUE(n.ok());
    if (!n.ok() || *n == 0) return out;
    out.append(reinterpret_cast<const char*>(buf.data()), *n);
  }
}

std::string Sha(const std::string& s) {
  StringSource src(s);
  return *Sha256Hex(src);
}

TEST(EncodeSourceTest, OnePassGivesTheStoredBytesAndBothChecksums) {
  const std::string plain = Compressible(3 << 20);
  StringSource input(plain);
  auto enc = EncodeSource::Create(input, 3);
  ASSERT_TRUE(enc.ok());
  const std::string stored = ReadAll(**enc, 7777);
  ASSERT_TRUE((*enc)->done());
  EXPECT_EQ((*enc)->plain_size(), plain.size());
  EXPECT_EQ((*enc)->plain_sha256(), Sha(plain));
  EXPECT_EQ((*enc)->stored_size(), stored.size());
  EXPECT_EQ((*enc)->stored_sha256(), Sha(stored));
  EXPECT_LT(stored.size(), plain.size() / 2);
  StringSink back;
  ZstdDecompressSink d(back);
  ASSERT_TRUE(d.Write(AsBytes(stored)).ok());
  ASSERT_TRUE(d.Finish().ok());
  EXPECT_EQ(back.data(), plain);
}

TEST(EncodeSourceTest, RewindStartsOverWithFreshStages) {
  const std::string plain = Compressible(200000);
  StringSource input(plain);
  auto enc = std::move(EncodeSource::Create(input, 1)).value();
  std::vector<std::byte> buf(1000);
  ASSERT_TRUE(enc->Read(buf).ok());  // a failed upload read a little
  ASSERT_TRUE(enc->Rewind().ok());
  const std::string stored = ReadAll(*enc, 4096);
  EXPECT_EQ(enc->plain_sha256(), Sha(plain));
  EXPECT_EQ(enc->stored_sha256(), Sha(stored));
}

TEST(EncodeSourceTest, LevelZeroStoresThePlainBytes) {
  StringSource input("plain bytes");
  auto enc = std::move(EncodeSource::Create(input, 0)).value();
  EXPECT_EQ(ReadAll(*enc, 3), "plain bytes");
  EXPECT_EQ(enc->plain_sha256(), enc->stored_sha256());
  EXPECT_EQ(EncodeSource::Create(input, 99).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace zb::codec
