// Helpers for the age codec tests (src/codec/age_*_test.cc): keys, our
// encryption in one call, and decryption through AgeDecryptSink with the
// encrypted bytes written in pieces cut wherever a test says, keeping what
// the sink forwarded even when it fails.
#pragma once

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "codec/age_decrypt_sink.h"
#include "codec/age_encrypt_sink.h"
#include "codec/age_key.h"

namespace zb::testing {

struct AgeKeys {
  codec::SecretKey secret;
  codec::PublicKey pub;
  std::string recipient;      // "age1..."
  std::string identity_file;  // as age-keygen writes it
};

inline AgeKeys NewAgeKeys() {
  AgeKeys k;
  k.secret = codec::GenerateSecretKey().value();
  k.pub = codec::PublicKeyOf(k.secret).value();
  k.recipient = codec::FormatRecipient(k.pub);
  k.identity_file = codec::FormatIdentityFile(k.secret, TimePoint{}).value();
  return k;
}

inline ByteSpan AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

// `plain` encrypted by AgeEncryptSink to `to`, written in one piece.
inline std::string AgeEncrypt(const std::string& plain, const std::vector<codec::PublicKey>& to) {
  StringSink out;
  auto sink = codec::AgeEncryptSink::Create(out, to);
  if (!sink.ok()) return "";
  if (!(*sink)->Write(AsBytes(plain)).ok() || !(*sink)->Finish().ok()) return "";
  return out.data();
}

struct AgeDecrypted {
  Status status;  // the first error, from Write or Finish
  codec::AgeDecryptSink::Failure failure = codec::AgeDecryptSink::Failure::kNone;
  std::string plain;      // every byte the sink forwarded, even on failure
  bool finished = false;  // whether it finished the next sink
  size_t writes = 0;      // Write calls made, the failing one included
};

// Decrypts `enc` written in pieces ending at each offset of `cuts` (sorted;
// the last piece runs to the end). Stops at the first error, as a caller
// would.
inline AgeDecrypted AgeDecryptCut(const std::string& enc, const std::vector<codec::SecretKey>& ids,
                                  const std::vector<size_t>& cuts) {
  StringSink out;
  codec::AgeDecryptSink sink(out, ids);
  AgeDecrypted r;
  size_t at = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(enc.size());
  for (size_t end : ends) {
    end = std::min(end, enc.size());
    if (end < at) continue;
    ++r.writes;
    r.status = sink.Write(AsBytes(std::string_view(enc).substr(at, end - at)));
    at = end;
    if (!r.status.ok()) break;
  }
  if (r.status.ok()) r.status = sink.Finish();
  r.failure = sink.failure();
  r.plain = out.data();
  r.finished = out.finished();
  return r;
}

inline AgeDecrypted AgeDecrypt(const std::string& enc, const std::vector<codec::SecretKey>& ids) {
  return AgeDecryptCut(enc, ids, {});
}

// Pieces of `size` bytes each.
inline AgeDecrypted AgeDecryptInPieces(const std::string& enc,
                                       const std::vector<codec::SecretKey>& ids, size_t size) {
  std::vector<size_t> cuts;
  for (size_t c = size; c < enc.size(); c += size) cuts.push_back(c);
  return AgeDecryptCut(enc, ids, cuts);
}

inline std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

}  // namespace zb::testing
