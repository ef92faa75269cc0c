#include "codec/age_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "codec/bech32.h"

namespace zb::codec {
namespace {

constexpr std::string_view kRecipientHrp = "age";
constexpr std::string_view kIdentityHrp = "age-secret-key-";

// The 32 bytes of a Bech32 string with the expected prefix.
Result<std::vector<uint8_t>> Decode32(std::string_view text, std::string_view hrp,
                                      std::string_view what) {
  auto decoded = Bech32Decode(text);
  if (!decoded.ok()) {
    return Status::InvalidArgument("not an age " + std::string(what) + " (" +
                                   decoded.status().message() + ")");
  }
  if (decoded->hrp != hrp) {
    return Status::InvalidArgument("not an age " + std::string(what) + " (it does not start with " +
                                   std::string(hrp) + "1)");
  }
  if (decoded->data.size() != 32) {
    OPENSSL_cleanse(decoded->data.data(), decoded->data.size());
    return Status::InvalidArgument("not an age " + std::string(what) + " (" +
                                   std::to_string(decoded->data.size()) + " bytes, want 32)");
  }
  return std::move(decoded->data);
}

}  // namespace

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<SecretKey> GenerateSecretKey() {
  std::array<uint8_t, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Status::IOError("the random number generator failed");
  }
  SecretKey key(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

Result<PublicKey> PublicKeyOf(const SecretKey& secret) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, secret.bytes().data(),
                                   secret.bytes().size()),
      EVP_PKEY_free);
  if (!pkey) return Status::InvalidArgument("not a usable X25519 secret key");
  PublicKey pub{};
  size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), pub.data(), &len) != 1 || len != pub.size()) {
    return Status::InvalidArgument("not a usable X25519 secret key");
  }
  return pub;
}

std::string FormatRecipient(const PublicKey& key) {
  return Bech32Encode(kRecipientHrp, std::vector<uint8_t>(key.begin(), key.end()));
}

std::string FormatIdentity(const SecretKey& key) {
  std::vector<uint8_t> bytes(key.bytes().begin(), key.bytes().end());
  std::string text = Bech32Encode(kIdentityHrp, bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

Result<PublicKey> ParseRecipient(std::string_view text) {
  ZB_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                      Decode32(text, kRecipientHrp, "X25519 recipient"));
  PublicKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

Result<SecretKey> ParseIdentity(std::string_view text) {
  ZB_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, Decode32(text, kIdentityHrp, "X25519 identity"));
  std::array<uint8_t, 32> raw{};
  std::copy(bytes.begin(), bytes.end(), raw.begin());
  OPENSSL_cleanse(bytes.data(), bytes.size());
  SecretKey key(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  return key;
}

Result<std::string> FormatIdentityFile(const SecretKey& key, TimePoint created) {
  ZB_ASSIGN_OR_RETURN(PublicKey pub, PublicKeyOf(key));
  return "# created: " + FormatRfc3339(created) + "\n# public key: " + FormatRecipient(pub) + "\n" +
         FormatIdentity(key) + "\n";
}

}  // namespace zb::codec
