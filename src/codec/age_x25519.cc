#include "codec/age_x25519.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace zb::codec::age {
namespace {

constexpr std::string_view kX25519Info = "age-encryption.org/v1/X25519";

Bytes View(const auto& a) { return {a.data(), a.size()}; }

// What the wrap key is derived from: the shared secret and share || recipient.
Result<Key32> WrapKey(const Key32& shared, Bytes share, const PublicKey& recipient) {
  std::array<uint8_t, 64> salt{};
  std::copy(share.begin(), share.end(), salt.begin());
  std::copy(recipient.begin(), recipient.end(), salt.begin() + 32);
  return HkdfSha256(shared.span(), View(salt), kX25519Info);
}

}  // namespace

FileKey::~FileKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<FileKey> NewFileKey() {
  FileKey k;
  if (RAND_bytes(k.data(), kFileKeySize) != 1) {
    return Status::IOError("the random number generator failed");
  }
  return k;
}

Result<Stanza> WrapFileKey(const PublicKey& recipient, const FileKey& key) {
  ZB_ASSIGN_OR_RETURN(SecretKey ephemeral, GenerateSecretKey());
  ZB_ASSIGN_OR_RETURN(PublicKey share, PublicKeyOf(ephemeral));
  auto shared = X25519(View(ephemeral.bytes()), View(recipient));
  if (!shared.ok()) {
    return Status::InvalidArgument("recipient " + FormatRecipient(recipient) +
                                   " is not a usable X25519 public key");
  }
  ZB_ASSIGN_OR_RETURN(Key32 wrap, WrapKey(*shared, View(share), recipient));
  ZB_ASSIGN_OR_RETURN(ChaChaPoly aead, ChaChaPoly::Create(wrap));
  Stanza s;
  s.args = {std::string(kX25519Type), Base64Raw(View(share))};
  s.body.resize(kFileKeySize + ChaChaPoly::kTagSize);
  const std::array<uint8_t, ChaChaPoly::kNonceSize> zero{};
  ZB_RETURN_IF_ERROR(aead.Seal(View(zero), key.span(), s.body));
  return s;
}

Result<std::optional<FileKey>> UnwrapFileKey(const SecretKey& identity, const Stanza& stanza) {
  if (stanza.args.size() != 2) {
    return Status::Corruption("malformed age header: an X25519 stanza with " +
                              std::to_string(stanza.args.size() - 1) + " arguments, want 1");
  }
  auto share = DecodeBase64Raw(stanza.args[1]);
  if (!share || share->size() != 32) {
    return Status::Corruption("malformed age header: an X25519 share that is not 32 bytes");
  }
  if (stanza.body.size() != kFileKeySize + ChaChaPoly::kTagSize) {
    return Status::Corruption("malformed age header: an X25519 stanza body that is not 32 bytes");
  }
  auto shared = X25519(View(identity.bytes()), View(*share));
  if (!shared.ok()) {
    return Status::Corruption("malformed age header: an X25519 share that is a low-order point");
  }
  ZB_ASSIGN_OR_RETURN(PublicKey ours, PublicKeyOf(identity));
  ZB_ASSIGN_OR_RETURN(Key32 wrap, WrapKey(*shared, View(*share), ours));
  ZB_ASSIGN_OR_RETURN(ChaChaPoly aead, ChaChaPoly::Create(wrap));
  FileKey key;
  const std::array<uint8_t, ChaChaPoly::kNonceSize> zero{};
  ZB_ASSIGN_OR_RETURN(bool opened,
                      aead.Open(View(zero), View(stanza.body), {key.data(), kFileKeySize}));
  if (!opened) return std::optional<FileKey>();
  return std::optional<FileKey>(key);
}

Result<std::array<uint8_t, 32>> HeaderMac(const FileKey& key, std::string_view mac_input) {
  ZB_ASSIGN_OR_RETURN(Key32 hmac_key, HkdfSha256(key.span(), {}, "header"));
  return HmacSha256(hmac_key.span(),
                    {reinterpret_cast<const uint8_t*>(mac_input.data()), mac_input.size()});
}

Result<Key32> PayloadKey(const FileKey& key, Bytes nonce) {
  return HkdfSha256(key.span(), nonce, "payload");
}

std::array<uint8_t, ChaChaPoly::kNonceSize> ChunkNonce(uint64_t counter, bool last) {
  std::array<uint8_t, ChaChaPoly::kNonceSize> n{};
  for (int i = 0; i < 8; ++i) n[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
  n[11] = last ? 1 : 0;
  return n;
}

}  // namespace zb::codec::age
