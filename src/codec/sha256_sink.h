// Sha256Sink: a pass-through stream stage that computes the SHA-256 of every
// byte written and forwards the bytes unchanged to the next sink. A backup puts
// one before the compressor (checksum of the plain snapshot) and one before the
// target (checksum of the stored object), so both manifest checksums come from
// one pass over the data.
//
// Ownership: the sink does not own `next`, which must outlive it; `next` may be
// null to hash only. Finish() finishes `next` too.
// Thread-safety: none; one writer at a time, like every ByteSink.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/status.h"
#include "base/stream.h"

namespace zb::codec {

class Sha256Sink final : public ByteSink {
 public:
  explicit Sha256Sink(ByteSink* next);
  Sha256Sink(const Sha256Sink&) = delete;
  Sha256Sink& operator=(const Sha256Sink&) = delete;

  // Hashes `data`, then forwards it to `next`. An error is sticky: every later
  // call returns it again.
  Status Write(ByteSpan data) override;
  // Completes the digest, then finishes `next`.
  Status Finish() override;

  // The digest as 64 lowercase hex characters.
  // REQUIRES: Finish() returned ok; empty before that.
  const std::string& hex() const { return hex_; }
  // Bytes written so far (all of them once finished).
  uint64_t bytes() const { return bytes_; }

 private:
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };

  ByteSink* next_;
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx_;
  Status error_;
  bool finished_ = false;
  uint64_t bytes_ = 0;
  std::string hex_;
};

// Reads `source` from its current position to the end and returns the SHA-256
// of those bytes as 64 lowercase hex characters. Does not rewind `source`.
Result<std::string> Sha256Hex(ByteSource& source);

}  // namespace zb::codec
