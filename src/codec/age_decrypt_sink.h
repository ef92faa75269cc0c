// AgeDecryptSink: reads an age v1 file (age-encryption.org/v1) written to
// X25519 recipients, as a stream stage: the encrypted bytes are written to
// it, the plaintext goes to `next`. It parses and authenticates the header
// with the first identity that opens a stanza, then opens each 64 KiB
// chunk; nothing is forwarded that did not authenticate. Files written by
// `age -r`/`age -R` and by AgeEncryptSink read alike.
//
// Every failure is kCorruption with what failed: a malformed header, no
// identity matching, a header MAC mismatch, a chunk that does not
// authenticate (changed, reordered, or the file cut short or extended).
// failure() says which, as the age test vectors classify them.
//
// Memory: at most kMaxHeaderBytes while reading the header, then one sealed
// chunk and one plain chunk. Ownership: does not own `next`; Finish()
// finishes it. Errors are sticky. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/stream.h"
#include "codec/age_crypto.h"
#include "codec/age_key.h"
#include "codec/age_x25519.h"

namespace zb::codec {

class AgeDecryptSink final : public ByteSink {
 public:
  enum class Failure { kNone, kHeader, kNoMatch, kMac, kPayload };

  AgeDecryptSink(ByteSink& next, std::vector<SecretKey> identities);
  AgeDecryptSink(const AgeDecryptSink&) = delete;
  AgeDecryptSink& operator=(const AgeDecryptSink&) = delete;

  Status Write(ByteSpan data) override;
  // kCorruption if the file ended before its last chunk.
  Status Finish() override;

  Failure failure() const { return failure_; }
  // Plaintext bytes forwarded so far.
  uint64_t plain_bytes() const { return plain_bytes_; }

 private:
  enum class Phase { kHeader, kNonce, kChunks };
  Status Fail(Failure f, Status s);
  Status OpenHeader(std::string_view text);
  Status Feed(const uint8_t* p, size_t n);
  Status OpenChunk(bool at_end);

  ByteSink& next_;
  std::vector<SecretKey> identities_;
  Phase phase_ = Phase::kHeader;
  std::string header_;  // the header's bytes so far
  std::optional<age::FileKey> file_key_;
  std::vector<uint8_t> nonce_;
  std::optional<age::ChaChaPoly> aead_;
  std::vector<uint8_t> sealed_;  // the current chunk, up to kChunkSize + tag
  std::vector<uint8_t> plain_;
  uint64_t counter_ = 0;
  uint64_t plain_bytes_ = 0;
  Failure failure_ = Failure::kNone;
  Status error_;
  bool finished_ = false;
};

}  // namespace zb::codec
