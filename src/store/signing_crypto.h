// The OpenSSL primitives the request signers use: SHA-256, HMAC-SHA256, hex
// and base64. Thin wrappers so the signing files read as the algorithms they
// implement. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zb::store {

using Sha256Digest = std::array<uint8_t, 32>;

// 64 lowercase hex characters.
std::string Sha256Hex(std::string_view data);
Sha256Digest HmacSha256(std::span<const uint8_t> key, std::string_view message);
// base64 of the MD5 of `data`: a Content-MD5 value (RFC 1864), which Azure
// checks against the bytes it received. Damage on the way is what it
// catches; it is no defence against anyone.
std::string Md5Base64(std::string_view data);
std::string LowerHex(std::span<const uint8_t> bytes);
std::string EncodeBase64(std::span<const uint8_t> bytes);
// Strict RFC 4648 base64 with padding (no whitespace, no line breaks);
// nullopt if the text is not. Returns no message: the text may be a secret,
// so the caller words the error without it.
std::optional<std::string> DecodeBase64(std::string_view text);

// Overwrites a string that held key material before it is freed.
void Wipe(std::string& secret);

}  // namespace zb::store
