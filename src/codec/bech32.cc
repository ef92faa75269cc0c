#include "codec/bech32.h"

#include <openssl/crypto.h>

#include <array>
#include <cctype>

namespace zb::codec {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr size_t kChecksumLength = 6;

// Working copies of the payload (an identity's secret passes through
// here): reserved up front so nothing is reallocated and left behind, and
// wiped when they go.
struct Scratch {
  std::vector<uint8_t> v;
  explicit Scratch(size_t n) { v.reserve(n); }
  ~Scratch() { OPENSSL_cleanse(v.data(), v.size()); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

uint32_t Polymod(const std::vector<uint8_t>& values) {
  constexpr std::array<uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                  0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    const uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (size_t i = 0; i < kGenerator.size(); ++i) {
      if ((top >> i) & 1) chk ^= kGenerator[i];
    }
  }
  return chk;
}

std::vector<uint8_t> ExpandHrp(std::string_view hrp) {
  std::vector<uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) >> 5);
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) & 31);
  return out;
}

// Regroups bits: 8 -> 5 (pad with zeroes) or 5 -> 8 (no padding allowed
// beyond fewer than `from` zero bits).
bool Regroup(const std::vector<uint8_t>& in, int from, int to, bool pad,
             std::vector<uint8_t>& out) {
  uint32_t acc = 0;
  int bits = 0;
  const uint32_t max = (1u << to) - 1;
  for (uint8_t v : in) {
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<uint8_t>((acc >> bits) & max));
    }
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<uint8_t>((acc << (to - bits)) & max));
  } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
    return false;
  }
  return true;
}

}  // namespace

std::string Bech32Encode(std::string_view hrp, const std::vector<uint8_t>& data) {
  Scratch five(data.size() * 8 / 5 + 1);
  Regroup(data, 8, 5, true, five.v);
  Scratch values(2 * hrp.size() + 1 + five.v.size() + kChecksumLength);
  const std::vector<uint8_t> prefix = ExpandHrp(hrp);
  values.v.assign(prefix.begin(), prefix.end());
  values.v.insert(values.v.end(), five.v.begin(), five.v.end());
  values.v.insert(values.v.end(), kChecksumLength, 0);
  const uint32_t mod = Polymod(values.v) ^ 1;
  std::string out(hrp);
  out.reserve(hrp.size() + 1 + five.v.size() + kChecksumLength);
  out += '1';
  for (uint8_t v : five.v) out += kCharset[v];
  for (size_t i = 0; i < kChecksumLength; ++i) out += kCharset[(mod >> (5 * (5 - i))) & 31];
  return out;
}

Result<Bech32> Bech32Decode(std::string_view text) {
  bool lower = false, upper = false;
  for (char c : text) {
    if (c < 33 || c > 126) return Status::InvalidArgument("bech32: a character out of range");
    lower |= std::islower(static_cast<unsigned char>(c)) != 0;
    upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
  }
  if (lower && upper) return Status::InvalidArgument("bech32: mixed upper and lower case");
  const size_t sep = text.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || text.size() - sep - 1 < kChecksumLength) {
    return Status::InvalidArgument("bech32: no separator or too short");
  }
  Bech32 out;
  for (char c : text.substr(0, sep)) {
    out.hrp += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  Scratch five(text.size() - sep - 1);
  for (char c : text.substr(sep + 1)) {
    const size_t v = kCharset.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (v == std::string_view::npos) return Status::InvalidArgument("bech32: invalid character");
    five.v.push_back(static_cast<uint8_t>(v));
  }
  Scratch values(2 * out.hrp.size() + 1 + five.v.size());
  const std::vector<uint8_t> prefix = ExpandHrp(out.hrp);
  values.v.assign(prefix.begin(), prefix.end());
  values.v.insert(values.v.end(), five.v.begin(), five.v.end());
  if (Polymod(values.v) != 1) return Status::InvalidArgument("bech32: checksum mismatch");
  out.data.reserve(five.v.size() * 5 / 8 + 1);
  five.v.resize(five.v.size() - kChecksumLength);  // keeps the buffer: no copy left behind
  if (!Regroup(five.v, 5, 8, false, out.data)) {
    return Status::InvalidArgument("bech32: invalid padding");
  }
  return out;
}

}  // namespace zb::codec
