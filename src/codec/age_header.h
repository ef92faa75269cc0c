// The age v1 header (age-encryption.org/v1): the version line, one stanza
// per recipient ("-> type args..." and a base64 body wrapped at 64 columns,
// the last line always shorter), then "--- " and the base64 HMAC of
// everything before that space. Pure functions; the parser is strict, as
// age's own is, because every byte of it comes from a file we do not trust.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace zb::codec::age {

inline constexpr std::string_view kVersionLine = "age-encryption.org/v1";
// age sets no limit. Ours: far more than thousands of recipients need, and
// what a hostile file can make a reader hold.
inline constexpr size_t kMaxHeaderBytes = 1 << 20;

struct Stanza {
  std::vector<std::string> args;  // args[0] is the type ("X25519", "scrypt", ...)
  std::vector<uint8_t> body;
};

struct Header {
  std::vector<Stanza> stanzas;
  std::string mac_input;  // the header's bytes through "---": what the MAC covers
  std::array<uint8_t, 32> mac{};
};

// The header's text through "---" (what the MAC covers); append " " +
// Base64Raw(mac) + "\n" to complete it.
std::string FormatHeaderForMac(const std::vector<Stanza>& stanzas);

// Where the header in `data` (the file's first bytes) ends: the offset just
// past the MAC line, or nullopt until more bytes arrive. kCorruption when
// `data` cannot be the start of an age v1 file or the header would pass
// kMaxHeaderBytes.
Result<std::optional<size_t>> FindHeaderEnd(std::string_view data);

// Parses exactly one header (FindHeaderEnd's prefix). kCorruption saying
// what is malformed.
Result<Header> ParseHeader(std::string_view text);

}  // namespace zb::codec::age
