// Bech32 (BIP 173, the original checksum constant), as age uses it for its
// X25519 keys: "age1..." recipients (lower case) and "AGE-SECRET-KEY-1..."
// identities (upper case). Unlike BIP 173, age puts no 90-character limit
// on the string. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace zb::codec {

struct Bech32 {
  std::string hrp;            // lower case
  std::vector<uint8_t> data;  // the 8-bit payload
};

// Lower-case "hrp1" + data + checksum.
std::string Bech32Encode(std::string_view hrp, const std::vector<uint8_t>& data);

// Accepts all-lower or all-upper case (never mixed). kInvalidArgument,
// saying what is wrong but never repeating the text (it may be a secret
// key), for a bad character, case mix, checksum, padding or length.
Result<Bech32> Bech32Decode(std::string_view text);

}  // namespace zb::codec
