// AgeEncryptSink into AgeDecryptSink: every size around the 64 KiB chunk,
// and the encrypted bytes written to the decrypt sink in awkward pieces (a
// byte at a time, cut at every offset through the header, the payload
// nonce and each chunk boundary): the plaintext must not depend on where
// the writes are cut. The real age CLI is in age_interop_test.cc.
#include <gtest/gtest.h>

#include "codec/age_x25519.h"
#include "testutil/age.h"
#include "testutil/random_bytes.h"

namespace zb::codec {
namespace {

using testing::AgeDecrypt;
using testing::AgeDecryptCut;
using testing::AgeDecryptInPieces;
using testing::AgeEncrypt;
using testing::NewAgeKeys;
using testing::RandomBytes;

constexpr size_t kChunk = age::kChunkSize;
constexpr size_t kSealed = kChunk + age::ChaChaPoly::kTagSize;  // 65552

// The length of the header at the start of an age file: through the MAC
// line's newline.
size_t HeaderLength(const std::string& enc) {
  const size_t mac = enc.find("\n--- ");
  return enc.find('\n', mac + 1) + 1;
}

TEST(AgeStreamTest, RoundTripsEverySizeAroundAChunk) {
  const auto k = NewAgeKeys();
  for (size_t n : {size_t{0}, size_t{1}, kChunk - 1, kChunk, kChunk + 1, 2 * kChunk, 3 * kChunk + 5,
                   size_t{3} << 20}) {
    const std::string plain = RandomBytes(n, n);
    const std::string enc = AgeEncrypt(plain, {k.pub});
    // Header, nonce, then one sealed chunk per 64 KiB begun (one for empty).
    const size_t chunks = n == 0 ? 1 : (n + kChunk - 1) / kChunk;
    EXPECT_EQ(enc.size(), HeaderLength(enc) + 16 + n + chunks * 16) << n;
    const auto r = AgeDecrypt(enc, {k.secret});
    ASSERT_TRUE(r.status.ok()) << n << ": " << r.status.ToString();
    EXPECT_EQ(r.failure, AgeDecryptSink::Failure::kNone);
    EXPECT_TRUE(r.finished);
    EXPECT_TRUE(r.plain == plain) << n;
  }
}

TEST(AgeStreamTest, TheSecondOfTwoIdentitiesOpensIt) {
  const auto a = NewAgeKeys();
  const auto b = NewAgeKeys();
  const auto c = NewAgeKeys();
  const std::string plain = RandomBytes(1000, 1);
  const std::string enc = AgeEncrypt(plain, {a.pub, b.pub});
  for (const auto& ids : std::vector<std::vector<SecretKey>>{
           {a.secret}, {b.secret}, {c.secret, b.secret}, {c.secret, a.secret}}) {
    const auto r = AgeDecrypt(enc, ids);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.plain, plain);
  }
}

TEST(AgeStreamTest, OneByteAtATime) {
  const auto k = NewAgeKeys();
  const std::string plain = RandomBytes(3000, 2);
  const std::string enc = AgeEncrypt(plain, {k.pub});
  const auto r = AgeDecryptInPieces(enc, {k.secret}, 1);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.writes, enc.size());
  EXPECT_EQ(r.plain, plain);
}

TEST(AgeStreamTest, OneByteAtATimeAcrossChunkBoundaries) {
  const auto k = NewAgeKeys();
  const std::string plain = RandomBytes(2 * kChunk + 7, 3);
  const std::string enc = AgeEncrypt(plain, {k.pub});
  const size_t payload = HeaderLength(enc) + 16;
  std::vector<size_t> cuts;
  for (size_t boundary : {payload + kSealed, payload + 2 * kSealed}) {
    for (size_t c = boundary - 20; c <= boundary + 20; ++c) cuts.push_back(c);
  }
  const auto r = AgeDecryptCut(enc, {k.secret}, cuts);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.writes, cuts.size() + 1);
  EXPECT_TRUE(r.plain == plain);
}

// Two writes, cut at every offset through the header and the nonce, and
// at every offset within 20 bytes of each sealed chunk's end; then three
// writes with both cuts near a boundary.
TEST(AgeStreamTest, TwoWritesCutAnywhereNearAStructure) {
  const auto k = NewAgeKeys();
  const std::string plain = RandomBytes(3 * kChunk + 5, 4);
  const std::string enc = AgeEncrypt(plain, {k.pub});
  const size_t payload = HeaderLength(enc) + 16;
  std::vector<size_t> cuts;
  for (size_t c = 0; c <= payload + 20; ++c) cuts.push_back(c);
  for (size_t i = 1; i <= 3; ++i) {
    const size_t boundary = payload + i * kSealed;
    for (size_t c = boundary - 20; c <= boundary + 20; ++c) cuts.push_back(c);
  }
  for (size_t c : cuts) {
    const auto r = AgeDecryptCut(enc, {k.secret}, {c});
    ASSERT_TRUE(r.status.ok()) << "cut at " << c << ": " << r.status.ToString();
    ASSERT_TRUE(r.plain == plain) << "cut at " << c;
  }
  const size_t boundary = payload + kSealed;
  for (size_t a = boundary - 17; a <= boundary + 1; ++a) {
    for (size_t b = a; b <= boundary + 17; ++b) {
      const auto r = AgeDecryptCut(enc, {k.secret}, {a, b});
      ASSERT_TRUE(r.status.ok()) << "cuts at " << a << ", " << b << ": " << r.status.ToString();
      ASSERT_TRUE(r.plain == plain) << "cuts at " << a << ", " << b;
    }
  }
}

}  // namespace
}  // namespace zb::codec
