// age's X25519 keys (age v1 format): a recipient is "age1" + Bech32 of the
// 32-byte public key, an identity "AGE-SECRET-KEY-1" + upper-case Bech32
// of the 32-byte secret scalar. The public key is X25519(secret, base
// point), computed by OpenSSL. Secret bytes live in a SecretKey, which
// wipes them when it goes; errors never repeat a key's text.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/civil_time.h"
#include "base/result.h"

namespace zb::codec {

using PublicKey = std::array<uint8_t, 32>;

class SecretKey {
 public:
  SecretKey() = default;
  explicit SecretKey(const std::array<uint8_t, 32>& bytes) : bytes_(bytes) {}
  ~SecretKey();
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;
  const std::array<uint8_t, 32>& bytes() const { return bytes_; }

 private:
  std::array<uint8_t, 32> bytes_{};
};

// A new secret from OpenSSL's CSPRNG.
Result<SecretKey> GenerateSecretKey();
Result<PublicKey> PublicKeyOf(const SecretKey& secret);

std::string FormatRecipient(const PublicKey& key);  // "age1..."
std::string FormatIdentity(const SecretKey& key);   // "AGE-SECRET-KEY-1..."

// kInvalidArgument saying what is wrong (never the text itself).
Result<PublicKey> ParseRecipient(std::string_view text);
Result<SecretKey> ParseIdentity(std::string_view text);

// The identity file `age-keygen` writes: "# created: <RFC 3339>",
// "# public key: age1...", then the identity, each on its own line.
Result<std::string> FormatIdentityFile(const SecretKey& key, TimePoint created);

}  // namespace zb::codec
