#include "codec/age_crypto.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include <algorithm>

namespace zb::codec::age {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using PctxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

int Int(size_t n) { return static_cast<int>(n); }

}  // namespace

Key32::~Key32() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<Key32> X25519(Bytes scalar, Bytes point) {
  if (scalar.size() != 32 || point.size() != 32) {
    return Status::InvalidArgument("X25519 takes 32-byte keys");
  }
  PkeyPtr priv(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, scalar.data(), 32),
               EVP_PKEY_free);
  PkeyPtr peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, point.data(), 32),
               EVP_PKEY_free);
  if (!priv || !peer) return Status::InvalidArgument("not a usable X25519 key");
  PctxPtr ctx(EVP_PKEY_CTX_new(priv.get(), nullptr), EVP_PKEY_CTX_free);
  Key32 out;
  size_t len = out.size();
  // OpenSSL refuses an all-zero result itself; the check below says why.
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != out.size() ||
      std::all_of(out.data(), out.data() + len, [](uint8_t b) { return b == 0; })) {
    return Status::InvalidArgument("X25519 share is a low-order point");
  }
  return out;
}

Result<Key32> HkdfSha256(Bytes ikm, Bytes salt, std::string_view info) {
  PctxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr), EVP_PKEY_CTX_free);
  Key32 out;
  size_t len = out.size();
  // An empty salt means HashLen zeros (RFC 5869 2.2); OpenSSL does that for
  // a salt it was not given, and refuses a zero-length one.
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) != 1 ||
      (!salt.empty() &&
       EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt.data(), Int(salt.size())) != 1) ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), ikm.data(), Int(ikm.size())) != 1 ||
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), reinterpret_cast<const uint8_t*>(info.data()),
                                  Int(info.size())) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    return Status::IOError("HKDF-SHA256 failed in OpenSSL");
  }
  return out;
}

std::array<uint8_t, 32> HmacSha256(Bytes key, Bytes data) {
  std::array<uint8_t, 32> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), Int(key.size()), data.data(), data.size(), mac.data(), &len);
  return mac;
}

Result<ChaChaPoly> ChaChaPoly::Create(const Key32& key) {
  ChaChaPoly c;
  c.key_ = key;
  c.ctx_.reset(EVP_CIPHER_CTX_new());
  if (!c.ctx_) return Status::IOError("out of memory for a cipher context");
  return c;
}

Status ChaChaPoly::Seal(Bytes nonce, Bytes plain, std::span<uint8_t> out) {
  if (nonce.size() != kNonceSize || out.size() != plain.size() + kTagSize) {
    return Status::InvalidArgument("ChaCha20-Poly1305: wrong nonce or output size");
  }
  EVP_CIPHER_CTX* c = ctx_.get();
  int len = 0;
  if (EVP_EncryptInit_ex(c, EVP_chacha20_poly1305(), nullptr, key_.data(), nonce.data()) != 1 ||
      (!plain.empty() &&
       EVP_EncryptUpdate(c, out.data(), &len, plain.data(), Int(plain.size())) != 1) ||
      EVP_EncryptFinal_ex(c, out.data() + plain.size(), &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, Int(kTagSize), out.data() + plain.size()) !=
          1) {
    return Status::IOError("ChaCha20-Poly1305 encryption failed in OpenSSL");
  }
  return Status::OK();
}

Result<bool> ChaChaPoly::Open(Bytes nonce, Bytes sealed, std::span<uint8_t> out) {
  if (nonce.size() != kNonceSize || sealed.size() < kTagSize ||
      out.size() != sealed.size() - kTagSize) {
    return Status::InvalidArgument("ChaCha20-Poly1305: wrong nonce or output size");
  }
  EVP_CIPHER_CTX* c = ctx_.get();
  const size_t n = sealed.size() - kTagSize;
  int len = 0;
  // The tag is set before the data: EVP_DecryptFinal_ex checks it.
  std::array<uint8_t, kTagSize> tag{};
  std::copy_n(sealed.data() + n, kTagSize, tag.data());
  if (EVP_DecryptInit_ex(c, EVP_chacha20_poly1305(), nullptr, key_.data(), nonce.data()) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, Int(kTagSize), tag.data()) != 1 ||
      (n > 0 && EVP_DecryptUpdate(c, out.data(), &len, sealed.data(), Int(n)) != 1)) {
    return Status::IOError("ChaCha20-Poly1305 decryption failed in OpenSSL");
  }
  // Final writes nothing for this AEAD; an empty `out` may have no buffer.
  uint8_t none[1];
  return EVP_DecryptFinal_ex(c, n > 0 ? out.data() + n : none, &len) == 1;
}

std::string Base64Raw(Bytes data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), Int(data.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::optional<std::vector<uint8_t>> DecodeBase64Raw(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (!ok) return std::nullopt;  // '=' padding, whitespace and anything else
  }
  std::string padded(text);
  const size_t pad = (4 - text.size() % 4) % 4;
  padded.append(pad, '=');
  std::vector<uint8_t> out(padded.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(padded.data()),
                                Int(padded.size()));
  if (n < 0 || static_cast<size_t>(n) < pad) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);  // EVP_DecodeBlock counts padding as zero bytes
  // Canonical only: the bits below the last character must be zero, which
  // holds exactly when encoding the result gives back the text.
  if (Base64Raw(out) != text) return std::nullopt;
  return out;
}

}  // namespace zb::codec::age
