#include "codec/age_decrypt_sink.h"

#include <openssl/crypto.h>

#include <cstring>
#include <set>

#include "codec/age_header.h"
#include "codec/age_x25519.h"

namespace zb::codec {
namespace {

constexpr size_t kSealedChunk = age::kChunkSize + age::ChaChaPoly::kTagSize;
constexpr std::string_view kScryptType = "scrypt";
// FindHeaderEnd knows an age file from anything else by this many bytes
// (the armor line is the longest it compares).
constexpr size_t kDecidedPrefix = 64;

std::string Num(uint64_t v) { return std::to_string(v); }

// Why no identity opened the header, from the stanza types it holds.
std::string NoMatchReason(const std::vector<age::Stanza>& stanzas, size_t identities) {
  size_t x25519 = 0;
  std::set<std::string> others;
  for (const age::Stanza& s : stanzas) {
    if (s.args[0] == age::kX25519Type) {
      ++x25519;
    } else {
      others.insert(s.args[0]);
    }
  }
  if (others.count(std::string(kScryptType))) {
    return "it is encrypted with a passphrase (scrypt), which ziti-backup does not use; "
           "decrypt it with `age -d`";
  }
  std::string why = "none of the " + Num(identities) + " identities given opens any of its " +
                    Num(x25519) + " X25519 recipient stanzas";
  if (!others.empty()) {
    why += "; it also has recipients of types ziti-backup cannot use:";
    for (const std::string& t : others) why += " " + t;
  }
  return why;
}

}  // namespace

AgeDecryptSink::AgeDecryptSink(ByteSink& next, std::vector<SecretKey> identities)
    : next_(next), identities_(std::move(identities)) {}

Status AgeDecryptSink::Fail(Failure f, Status s) {
  if (error_.ok()) {
    failure_ = f;
    error_ = std::move(s);
  }
  return error_;
}

Status AgeDecryptSink::OpenHeader(std::string_view text) {
  auto header = age::ParseHeader(text);
  if (!header.ok()) return Fail(Failure::kHeader, header.status());
  if (header->stanzas.empty()) {
    return Fail(Failure::kHeader, Status::Corruption("malformed age header: no recipient stanzas"));
  }
  for (const age::Stanza& s : header->stanzas) {
    // A passphrase file has one stanza; age refuses anything else, since
    // mixing would let a recipient read what was meant for the passphrase.
    if (s.args[0] == kScryptType && header->stanzas.size() != 1) {
      return Fail(Failure::kHeader,
                  Status::Corruption("malformed age header: an scrypt stanza among others"));
    }
  }
  // As age does: each identity in turn tries the stanzas in order, and a
  // malformed X25519 stanza met on the way fails the file.
  for (const SecretKey& id : identities_) {
    for (const age::Stanza& s : header->stanzas) {
      if (s.args[0] != age::kX25519Type) continue;
      auto key = age::UnwrapFileKey(id, s);
      if (!key.ok()) return Fail(Failure::kHeader, key.status());
      if (key->has_value()) {
        file_key_ = std::move(*key);
        break;
      }
    }
    if (file_key_) break;
  }
  if (!file_key_) {
    return Fail(Failure::kNoMatch,
                Status::Corruption("age: no identity matches: " +
                                   NoMatchReason(header->stanzas, identities_.size())));
  }
  auto mac = age::HeaderMac(*file_key_, header->mac_input);
  if (!mac.ok()) return Fail(Failure::kMac, mac.status());
  if (CRYPTO_memcmp(mac->data(), header->mac.data(), mac->size()) != 0) {
    return Fail(Failure::kMac,
                Status::Corruption("age: the header MAC does not match: the header was changed"));
  }
  return Status::OK();
}

// Opens the chunk in sealed_. `at_end`: no byte follows it, so it must be
// the last chunk; otherwise it is a full chunk with more after it, so a
// middle one. A full chunk that opens only as the other kind authenticated
// all the same, and is released before the stream fails, as age releases
// it (age cannot tell a full chunk's kind before it reads on).
Status AgeDecryptSink::OpenChunk(bool at_end) {
  const size_t n = sealed_.size();
  const uint64_t at = counter_;
  auto where = [&] {
    return "age payload chunk " + Num(at) + " (plaintext offset " + Num(at * age::kChunkSize) + ")";
  };
  if (n < age::ChaChaPoly::kTagSize) {
    return Fail(Failure::kPayload,
                Status::Corruption(where() + " is cut short: " + Num(n) + " bytes"));
  }
  plain_.resize(n - age::ChaChaPoly::kTagSize);
  auto open = [&](bool last) {
    const auto nonce = age::ChunkNonce(counter_, last);
    return aead_->Open({nonce.data(), nonce.size()}, sealed_, plain_);
  };
  auto release = [&]() -> Status {
    ++counter_;
    sealed_.clear();
    plain_bytes_ += plain_.size();
    if (plain_.empty()) return Status::OK();
    Status s = next_.Write({reinterpret_cast<const std::byte*>(plain_.data()), plain_.size()});
    if (!s.ok()) return Fail(Failure::kNone, std::move(s));
    return Status::OK();
  };
  auto opened = open(at_end);
  if (!opened.ok()) return Fail(Failure::kPayload, opened.status());
  if (*opened) {
    if (at_end && plain_.empty() && counter_ > 0) {
      return Fail(Failure::kPayload,
                  Status::Corruption("age payload ends with an empty chunk after data"));
    }
    return release();
  }
  auto other = open(!at_end);
  if (!other.ok()) return Fail(Failure::kPayload, other.status());
  if (!*other) {
    return Fail(
        Failure::kPayload,
        Status::Corruption(where() + " fails authentication: the object was changed, reordered "
                                     "or damaged"));
  }
  if (at_end) {
    // A middle chunk with nothing after it: the file lost its end. A short
    // one is not released: only a full chunk can be a middle one.
    if (n == kSealedChunk) ZB_RETURN_IF_ERROR(release());
    return Fail(Failure::kPayload,
                Status::Corruption("age payload is truncated after chunk " + Num(at)));
  }
  ZB_RETURN_IF_ERROR(release());
  return Fail(Failure::kPayload,
              Status::Corruption("age payload goes on after its last chunk (chunk " + Num(at) +
                                 "): the object was extended or damaged"));
}

Status AgeDecryptSink::Feed(const uint8_t* p, size_t n) {
  if (phase_ == Phase::kNonce) {
    const size_t take = std::min(n, age::kPayloadNonceSize - nonce_.size());
    nonce_.insert(nonce_.end(), p, p + take);
    p += take;
    n -= take;
    if (nonce_.size() < age::kPayloadNonceSize) return Status::OK();
    auto key = age::PayloadKey(*file_key_, nonce_);
    if (!key.ok()) return Fail(Failure::kPayload, key.status());
    auto aead = age::ChaChaPoly::Create(*key);
    if (!aead.ok()) return Fail(Failure::kPayload, aead.status());
    aead_.emplace(std::move(*aead));
    sealed_.reserve(kSealedChunk);
    phase_ = Phase::kChunks;
  }
  while (n > 0) {
    // A full chunk is opened as a middle one only once more bytes follow it.
    if (sealed_.size() == kSealedChunk) ZB_RETURN_IF_ERROR(OpenChunk(false));
    const size_t take = std::min(n, kSealedChunk - sealed_.size());
    sealed_.insert(sealed_.end(), p, p + take);
    p += take;
    n -= take;
  }
  return Status::OK();
}

Status AgeDecryptSink::Write(ByteSpan data) {
  if (!error_.ok()) return error_;
  if (finished_) return Fail(Failure::kNone, Status::Aborted("age: write after finish"));
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  if (phase_ == Phase::kHeader) {
    const size_t before = header_.size();
    // No more than the longest header we accept: a large write of a
    // hostile file must not be copied whole before it is refused.
    const size_t take = std::min(n, age::kMaxHeaderBytes - before);
    header_.append(reinterpret_cast<const char*>(p), take);
    // FindHeaderEnd scans from the start. Its answer can only change with
    // a newline (the header ends with one), within the first bytes (where
    // it tells an age file from armor or anything else) or at the limit;
    // calling it for other writes would make a header fed in small pieces
    // cost its length squared.
    const bool newline = std::memchr(p, '\n', take) != nullptr;
    if (!newline && before >= kDecidedPrefix && header_.size() < age::kMaxHeaderBytes) {
      return Status::OK();
    }
    auto end = age::FindHeaderEnd(header_);
    if (!end.ok()) return Fail(Failure::kHeader, end.status());
    if (!end->has_value()) return Status::OK();
    const size_t header_len = **end;
    ZB_RETURN_IF_ERROR(OpenHeader(std::string_view(header_).substr(0, header_len)));
    phase_ = Phase::kNonce;
    // What followed the header in this write is payload.
    const size_t used = header_len - before;
    p += used;
    n -= used;
    header_.clear();
    header_.shrink_to_fit();
  }
  return Feed(p, n);
}

Status AgeDecryptSink::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return Fail(Failure::kNone, Status::Aborted("age: finish after finish"));
  finished_ = true;
  if (phase_ == Phase::kHeader) {
    return Fail(Failure::kHeader,
                Status::Corruption(header_.empty() ? "empty file: not an age file"
                                                   : "the age file ends inside its header"));
  }
  if (phase_ == Phase::kNonce) {
    // A header failure to age, which reads the nonce before it returns a
    // reader, and so to the test vectors.
    return Fail(Failure::kHeader, Status::Corruption("the age file ends before its payload"));
  }
  ZB_RETURN_IF_ERROR(OpenChunk(true));
  Status s = next_.Finish();
  if (!s.ok()) return Fail(Failure::kNone, std::move(s));
  return Status::OK();
}

}  // namespace zb::codec
