// Little-endian decoding and encoding over byte spans. Every load is
// bounds-checked: on-disk structures come from files we do not trust, so a
// length or offset read from a file can never lead to an out-of-bounds read.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace zb {

using ByteSpan = std::span<const std::byte>;
using MutableByteSpan = std::span<std::byte>;

// Returns the little-endian unsigned integer of type T at [off, off+sizeof(T)),
// or nullopt if that range is not inside `s`.
template <class T>
requires std::is_unsigned_v<T> std::optional<T> LoadLE(ByteSpan s, size_t off) {
  if (off > s.size() || s.size() - off < sizeof(T)) return std::nullopt;
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<T>(std::to_integer<uint8_t>(s[off + i])) << (8 * i);
  }
  return v;
}

// Stores v little-endian at [off, off+sizeof(T)). Returns false (and writes
// nothing) if the range is not inside `s`.
template <class T>
requires std::is_unsigned_v<T>
bool StoreLE(MutableByteSpan s, size_t off, T v) {
  if (off > s.size() || s.size() - off < sizeof(T)) return false;
  for (size_t i = 0; i < sizeof(T); ++i) {
    s[off + i] = static_cast<std::byte>((v >> (8 * i)) & 0xff);
  }
  return true;
}

// Returns the sub-span [off, off+len), or nullopt if it is not inside `s`.
inline std::optional<ByteSpan> SubSpan(ByteSpan s, uint64_t off, uint64_t len) {
  if (off > s.size() || s.size() - off < len) return std::nullopt;
  return s.subspan(static_cast<size_t>(off), static_cast<size_t>(len));
}

inline ByteSpan AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace zb
