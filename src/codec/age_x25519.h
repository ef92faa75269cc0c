// age's X25519 recipient stanza and the keys derived from the file key.
//
// A stanza is "-> X25519 <ephemeral share>" with the file key sealed under
// HKDF-SHA256(X25519(ephemeral, recipient), share || recipient,
// "age-encryption.org/v1/X25519"). The header MAC key and the payload key
// come from the file key by HKDF too; payload chunks are sealed with a
// STREAM nonce (an 11-byte big-endian counter and a last-chunk flag).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "base/result.h"
#include "codec/age_crypto.h"
#include "codec/age_header.h"
#include "codec/age_key.h"

namespace zb::codec::age {

inline constexpr std::string_view kX25519Type = "X25519";
inline constexpr size_t kFileKeySize = 16;
inline constexpr size_t kPayloadNonceSize = 16;
inline constexpr size_t kChunkSize = 64 * 1024;  // plaintext bytes per payload chunk

// 16 secret bytes, wiped on destruction.
class FileKey {
 public:
  FileKey() = default;
  ~FileKey();
  FileKey(const FileKey&) = default;
  FileKey& operator=(const FileKey&) = default;
  uint8_t* data() { return bytes_.data(); }
  Bytes span() const { return {bytes_.data(), bytes_.size()}; }

 private:
  std::array<uint8_t, kFileKeySize> bytes_{};
};

Result<FileKey> NewFileKey();

// A fresh stanza for `recipient` (a new ephemeral key each time).
Result<Stanza> WrapFileKey(const PublicKey& recipient, const FileKey& key);

// The file key if `stanza` was made for `identity`; nullopt if it was made
// for someone else. kCorruption for an X25519 stanza that is malformed.
// REQUIRES: stanza.args[0] == kX25519Type.
Result<std::optional<FileKey>> UnwrapFileKey(const SecretKey& identity, const Stanza& stanza);

Result<std::array<uint8_t, 32>> HeaderMac(const FileKey& key, std::string_view mac_input);
Result<Key32> PayloadKey(const FileKey& key, Bytes nonce);
std::array<uint8_t, ChaChaPoly::kNonceSize> ChunkNonce(uint64_t counter, bool last);

}  // namespace zb::codec::age
