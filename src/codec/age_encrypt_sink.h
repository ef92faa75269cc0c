// AgeEncryptSink: age v1 encryption (age-encryption.org/v1) to X25519
// recipients as a stream stage. It writes the header (one stanza per
// recipient, the header MAC) and the 16-byte payload nonce on creation,
// then seals what it is given in 64 KiB chunks (ChaCha20-Poly1305, STREAM
// nonces); Finish() seals the last chunk. The output decrypts with
// `age -d -i IDENTITY`. Only public keys are needed: a host that encrypts
// cannot decrypt what it wrote.
//
// Memory: one plaintext chunk and one sealed chunk. Keys are wiped when
// the sink goes. Ownership: does not own `next`; Finish() finishes it.
// Errors are sticky. Not thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "base/result.h"
#include "base/stream.h"
#include "codec/age_crypto.h"
#include "codec/age_key.h"

namespace zb::codec {

class AgeEncryptSink final : public ByteSink {
 public:
  // kInvalidArgument without recipients.
  static Result<std::unique_ptr<AgeEncryptSink>> Create(ByteSink& next,
                                                        const std::vector<PublicKey>& recipients);
  AgeEncryptSink(const AgeEncryptSink&) = delete;
  AgeEncryptSink& operator=(const AgeEncryptSink&) = delete;

  Status Write(ByteSpan data) override;
  Status Finish() override;

 private:
  AgeEncryptSink(ByteSink& next, age::ChaChaPoly aead);
  Status Seal(bool last);
  Status Fail(Status s);

  ByteSink& next_;
  age::ChaChaPoly aead_;
  std::vector<uint8_t> plain_;
  std::vector<uint8_t> sealed_;
  uint64_t counter_ = 0;
  Status error_;
  bool finished_ = false;
};

}  // namespace zb::codec
