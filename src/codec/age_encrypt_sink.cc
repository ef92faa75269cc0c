#include "codec/age_encrypt_sink.h"

#include <openssl/rand.h>

#include "codec/age_header.h"
#include "codec/age_x25519.h"

namespace zb::codec {
namespace {

ByteSpan AsBytes(const void* p, size_t n) { return {static_cast<const std::byte*>(p), n}; }

}  // namespace

AgeEncryptSink::AgeEncryptSink(ByteSink& next, age::ChaChaPoly aead)
    : next_(next), aead_(std::move(aead)) {
  plain_.reserve(age::kChunkSize);
  sealed_.resize(age::kChunkSize + age::ChaChaPoly::kTagSize);
}

Result<std::unique_ptr<AgeEncryptSink>> AgeEncryptSink::Create(
    ByteSink& next, const std::vector<PublicKey>& recipients) {
  if (recipients.empty()) return Status::InvalidArgument("age encryption needs a recipient");
  ZB_ASSIGN_OR_RETURN(age::FileKey file_key, age::NewFileKey());
  std::vector<age::Stanza> stanzas;
  for (const PublicKey& r : recipients) {
    ZB_ASSIGN_OR_RETURN(age::Stanza s, age::WrapFileKey(r, file_key));
    stanzas.push_back(std::move(s));
  }
  std::string header = age::FormatHeaderForMac(stanzas);
  ZB_ASSIGN_OR_RETURN(auto mac, age::HeaderMac(file_key, header));
  header += " " + age::Base64Raw({mac.data(), mac.size()}) + "\n";

  std::array<uint8_t, age::kPayloadNonceSize> nonce{};
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
    return Status::IOError("the random number generator failed");
  }
  ZB_ASSIGN_OR_RETURN(age::Key32 payload_key,
                      age::PayloadKey(file_key, {nonce.data(), nonce.size()}));
  ZB_ASSIGN_OR_RETURN(age::ChaChaPoly aead, age::ChaChaPoly::Create(payload_key));
  ZB_RETURN_IF_ERROR(next.Write(AsBytes(header.data(), header.size())));
  ZB_RETURN_IF_ERROR(next.Write(AsBytes(nonce.data(), nonce.size())));
  return std::unique_ptr<AgeEncryptSink>(new AgeEncryptSink(next, std::move(aead)));
}

Status AgeEncryptSink::Fail(Status s) {
  if (error_.ok()) error_ = std::move(s);
  return error_;
}

Status AgeEncryptSink::Seal(bool last) {
  const auto nonce = age::ChunkNonce(counter_++, last);
  const size_t n = plain_.size() + age::ChaChaPoly::kTagSize;
  ZB_RETURN_IF_ERROR(
      aead_.Seal({nonce.data(), nonce.size()}, plain_, std::span<uint8_t>(sealed_.data(), n)));
  plain_.clear();
  return next_.Write(AsBytes(sealed_.data(), n));
}

Status AgeEncryptSink::Write(ByteSpan data) {
  if (!error_.ok()) return error_;
  if (finished_) return Fail(Status::Aborted("age: write after finish"));
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t left = data.size();
  while (left > 0) {
    // A full chunk is sealed only once more data arrives: the last chunk
    // carries the last-chunk flag, and may be full.
    if (plain_.size() == age::kChunkSize) {
      if (Status s = Seal(false); !s.ok()) return Fail(std::move(s));
    }
    const size_t take = std::min(left, age::kChunkSize - plain_.size());
    plain_.insert(plain_.end(), p, p + take);
    p += take;
    left -= take;
  }
  return Status::OK();
}

Status AgeEncryptSink::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return Fail(Status::Aborted("age: finish after finish"));
  finished_ = true;
  if (Status s = Seal(true); !s.ok()) return Fail(std::move(s));
  return next_.Finish();
}

}  // namespace zb::codec
