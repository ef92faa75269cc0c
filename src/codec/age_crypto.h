// The primitives age v1 is built from, over OpenSSL's libcrypto: X25519,
// HKDF-SHA256, HMAC-SHA256 and ChaCha20-Poly1305 (12-byte nonce, no AAD),
// plus the strict unpadded base64 of age headers. Keys held here are wiped
// when they go. Thread-compatible.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace zb::codec::age {

using Bytes = std::span<const uint8_t>;

// 32 secret bytes (a derived key or a shared secret), wiped on destruction.
class Key32 {
 public:
  Key32() = default;
  ~Key32();
  Key32(const Key32&) = default;
  Key32& operator=(const Key32&) = default;
  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  static constexpr size_t size() { return 32; }
  Bytes span() const { return {bytes_.data(), bytes_.size()}; }

 private:
  std::array<uint8_t, 32> bytes_{};
};

// X25519(scalar, point). kInvalidArgument when the result is all zeros (a
// low-order point: the shared secret would be known to anyone).
Result<Key32> X25519(Bytes scalar, Bytes point);

// HKDF-SHA256 (RFC 5869) with a 32-byte output.
Result<Key32> HkdfSha256(Bytes ikm, Bytes salt, std::string_view info);

std::array<uint8_t, 32> HmacSha256(Bytes key, Bytes data);

// ChaCha20-Poly1305 (RFC 8439) under one key, reusing one OpenSSL context
// for every chunk: age seals each 64 KiB chunk with a fresh nonce.
class ChaChaPoly {
 public:
  static constexpr size_t kTagSize = 16;
  static constexpr size_t kNonceSize = 12;

  static Result<ChaChaPoly> Create(const Key32& key);
  ChaChaPoly(ChaChaPoly&&) = default;
  ChaChaPoly& operator=(ChaChaPoly&&) = default;

  // out = ciphertext || tag; out.size() must be plain.size() + kTagSize.
  Status Seal(Bytes nonce, Bytes plain, std::span<uint8_t> out);
  // out = plaintext; false if the tag does not authenticate (then `out`
  // holds nothing usable). out.size() must be sealed.size() - kTagSize.
  Result<bool> Open(Bytes nonce, Bytes sealed, std::span<uint8_t> out);

 private:
  struct CtxDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
  };
  ChaChaPoly() = default;
  Key32 key_;
  std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> ctx_;
};

// Base64 (RFC 4648 standard alphabet) without padding, as age writes it.
std::string Base64Raw(Bytes data);
// Only the canonical encoding decodes: no padding, no whitespace, unused
// trailing bits zero (age rejects anything else, so must we).
std::optional<std::vector<uint8_t>> DecodeBase64Raw(std::string_view text);

}  // namespace zb::codec::age
