#include "codec/bech32.h"

#include <gtest/gtest.h>

namespace zb::codec {
namespace {

// Valid strings from BIP 173 whose payload is whole bytes.
TEST(Bech32Test, DecodesTheBip173Vectors) {
  auto empty = Bech32Decode("A12UEL5L");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->hrp, "a");
  EXPECT_TRUE(empty->data.empty());
  auto all = Bech32Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->hrp, "abcdef");
  EXPECT_EQ(all->data.size(), 20u);
  EXPECT_EQ(all->data[0], 0x00);
  EXPECT_EQ(all->data[1], 0x44);
  EXPECT_EQ(Bech32Encode("abcdef", all->data), "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
}

TEST(Bech32Test, RoundTripsAnyBytes) {
  for (size_t n : {0, 1, 5, 31, 32, 33, 100}) {
    std::vector<uint8_t> data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 37 + 11);
    auto back = Bech32Decode(Bech32Encode("age", data));
    ASSERT_TRUE(back.ok()) << n;
    EXPECT_EQ(back->hrp, "age");
    EXPECT_EQ(back->data, data);
  }
}

TEST(Bech32Test, RefusesDamageWithoutRepeatingTheText) {
  const std::string good = Bech32Encode("age", std::vector<uint8_t>(32, 7));
  std::string flipped = good;
  flipped[10] = flipped[10] == 'q' ? 'p' : 'q';
  EXPECT_EQ(Bech32Decode(flipped).status().message(), "bech32: checksum mismatch");
  std::string mixed = good;
  mixed[0] = 'A';
  EXPECT_EQ(Bech32Decode(mixed).status().message(), "bech32: mixed upper and lower case");
  EXPECT_EQ(Bech32Decode("age1").status().message(), "bech32: no separator or too short");
  EXPECT_EQ(Bech32Decode("nodelimiter").status().message(), "bech32: no separator or too short");
  EXPECT_EQ(Bech32Decode("age1bqqqqqqq").status().message(), "bech32: invalid character");
  EXPECT_EQ(Bech32Decode(std::string("age1\x7f") + "qqqqqq").status().message(),
            "bech32: a character out of range");
}

}  // namespace
}  // namespace zb::codec
