#include "base/bytes.h"

#include <gtest/gtest.h>

#include <array>

namespace zb {
namespace {

TEST(BytesTest, LoadsLittleEndianAndRefusesOutOfBounds) {
  std::array<std::byte, 10> b{};
  ASSERT_TRUE(StoreLE<uint64_t>(b, 1, 0x0102030405060708ull));
  EXPECT_EQ(std::to_integer<int>(b[1]), 0x08);
  EXPECT_EQ(*LoadLE<uint64_t>(b, 1), 0x0102030405060708ull);
  EXPECT_EQ(*LoadLE<uint16_t>(b, 1), 0x0708);
  EXPECT_FALSE(LoadLE<uint64_t>(b, 3).has_value());
  EXPECT_FALSE(LoadLE<uint16_t>(b, 9).has_value());
  EXPECT_FALSE(LoadLE<uint16_t>(b, SIZE_MAX).has_value());
  EXPECT_FALSE(StoreLE<uint32_t>(b, 7, 1));
}

TEST(BytesTest, SubSpanRejectsRangesPastTheEndWithoutOverflow) {
  std::array<std::byte, 8> b{};
  EXPECT_EQ(SubSpan(b, 2, 6)->size(), 6u);
  EXPECT_FALSE(SubSpan(b, 2, 7).has_value());
  EXPECT_FALSE(SubSpan(b, 9, 0).has_value());
  EXPECT_FALSE(SubSpan(b, 1, UINT64_MAX).has_value());
}

}  // namespace
}  // namespace zb
