// EncodeSource: the stored form of bytes as a ByteSource, made in one pass:
// plain -> sha256(plain) -> zstd (unless level 0) -> age (when there are
// recipients) -> sha256(stored) -> Read().
// A Backend pulls from it; both manifest checksums are known when it has
// been read to the end. Rewind() starts over with fresh stages, so a retried
// upload hashes and compresses again from the first byte.
// Memory stays bounded: one input chunk and what zstd makes of it.
// Not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "base/stream.h"
#include "codec/age_encrypt_sink.h"
#include "codec/sha256_sink.h"
#include "codec/zstd_sink.h"

namespace zb::codec {

class EncodeSource final : public ByteSource {
 public:
  // level 0: store uncompressed; 1..19: zstd level (validated). With
  // recipients the stored form is an age file to all of them (a fresh file
  // key on every Rewind).
  // `plain` must be rewindable (a file, not a pipe); it is not owned.
  static Result<std::unique_ptr<EncodeSource>> Create(ByteSource& plain, int level,
                                                      std::vector<PublicKey> recipients = {});

  Result<size_t> Read(MutableByteSpan dst) override;
  Status Rewind() override;

  // Valid once Read() has returned 0.
  bool done() const { return done_; }
  const std::string& plain_sha256() const { return plain_->hex(); }
  uint64_t plain_size() const { return plain_->bytes(); }
  const std::string& stored_sha256() const { return stored_->hex(); }
  uint64_t stored_size() const { return stored_->bytes(); }

 private:
  EncodeSource(ByteSource& plain, int level, std::vector<PublicKey> recipients)
      : input_(plain), level_(level), recipients_(std::move(recipients)) {}
  Status Build();

  // Collects what the chain produces until Read() takes it.
  class Buffer final : public ByteSink {
   public:
    Status Write(ByteSpan data) override {
      bytes_.insert(bytes_.end(), data.begin(), data.end());
      return Status::OK();
    }
    Status Finish() override { return Status::OK(); }
    std::vector<std::byte> bytes_;
    size_t taken_ = 0;
  };

  ByteSource& input_;
  const int level_;
  const std::vector<PublicKey> recipients_;
  Buffer buffer_;
  std::unique_ptr<Sha256Sink> stored_;
  std::unique_ptr<AgeEncryptSink> age_;
  std::unique_ptr<ZstdCompressSink> zstd_;
  std::unique_ptr<Sha256Sink> plain_;
  std::vector<std::byte> chunk_;
  bool done_ = false;
};

}  // namespace zb::codec
