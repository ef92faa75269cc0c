// ZstdCompressSink and ZstdDecompressSink: zstd as stream stages. Each wraps
// the next sink, transforms what is written to it and forwards the result, so
// it can sit anywhere in a chain such as sha256 -> zstd -> age -> sha256 -> target.
//
// The compressor writes one standard zstd frame (RFC 8878) with a content
// checksum, so `zstd -t` and `zstd -d` verify what we store without us. The
// decompressor accepts one or more concatenated frames (skippable frames
// included), as `zstd -d` does, and reports damage as kCorruption. Legacy
// frames (formats before zstd 1.0), which libzstd would also decode, are
// refused as not zstd.
//
// Memory is bounded whatever the input size: both directions stream through
// one output buffer of ZSTD_CStreamOutSize()/ZSTD_DStreamOutSize() bytes plus
// zstd's own window, which the decompressor caps at 2^kMaxWindowLog bytes
// (frames asking for more are refused).
//
// Ownership: a sink does not own `next`, which must outlive it. Finish()
// finishes `next` too. Errors are sticky: after one, every call returns it.
// Thread-safety: none; one writer at a time, like every ByteSink.
#pragma once

#include <zstd.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "base/stream.h"

namespace zb::codec {

class ZstdCompressSink final : public ByteSink {
 public:
  // Levels above 19 need zstd's --ultra and much more memory on both sides.
  static constexpr int kMinLevel = 1;
  static constexpr int kMaxLevel = 19;

  // kInvalidArgument naming the level unless kMinLevel <= level <= kMaxLevel.
  // `workers` > 0 compresses on that many threads of libzstd's own (the
  // output is the same standard frame; `zstd -T0` does this); if the
  // library was built without threads it silently uses one.
  static Result<std::unique_ptr<ZstdCompressSink>> Create(ByteSink& next, int level,
                                                          int workers = 0);

  ZstdCompressSink(const ZstdCompressSink&) = delete;
  ZstdCompressSink& operator=(const ZstdCompressSink&) = delete;

  Status Write(ByteSpan data) override;
  // Ends the frame (writes its last block and checksum), then finishes `next`.
  Status Finish() override;

 private:
  struct CCtxDeleter {
    void operator()(ZSTD_CCtx* ctx) const { ZSTD_freeCCtx(ctx); }
  };
  ZstdCompressSink(ByteSink& next, std::unique_ptr<ZSTD_CCtx, CCtxDeleter> ctx);
  Status Fail(Status s);

  ByteSink& next_;
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> ctx_;
  std::vector<std::byte> out_;
  Status error_;
  bool finished_ = false;
};

class ZstdDecompressSink final : public ByteSink {
 public:
  // The largest window a frame may ask for: 2^25 bytes = 32 MiB, so that
  // restore and verify stay within their 64 MiB whatever a stored object
  // says (zstd -d allows 128 MiB). Our compressor writes at most 2^22.
  static constexpr int kMaxWindowLog = 25;

  explicit ZstdDecompressSink(ByteSink& next);
  ZstdDecompressSink(const ZstdDecompressSink&) = delete;
  ZstdDecompressSink& operator=(const ZstdDecompressSink&) = delete;

  // Decodes what it can and forwards the plain bytes. kCorruption if the
  // input is not zstd, fails a checksum, or has garbage after a frame.
  Status Write(ByteSpan data) override;
  // kCorruption if the input stopped inside a frame or held no frame at all;
  // otherwise finishes `next`.
  Status Finish() override;

  // Complete frames decoded so far.
  uint64_t frames() const { return frames_; }

 private:
  struct DCtxDeleter {
    void operator()(ZSTD_DCtx* ctx) const { ZSTD_freeDCtx(ctx); }
  };
  Status Fail(Status s);
  Status DecodeError(size_t ret) const;

  ByteSink& next_;
  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> ctx_;
  std::vector<std::byte> out_;
  Status error_;
  bool finished_ = false;
  bool in_frame_ = false;     // part of a frame was read; its end was not
  uint64_t consumed_ = 0;     // input bytes zstd has taken
  uint64_t frame_start_ = 0;  // input offset of the current (or next) frame
  uint64_t frames_ = 0;
  size_t magic_len_ = 0;     // bytes of the current frame's magic number checked
  uint8_t magic_first_ = 0;  // its first byte
  // The current frame's first bytes (its header) and what it decoded to,
  // to check the content size the header declares.
  static constexpr size_t kMaxFrameHeader = 18;  // ZSTD_FRAMEHEADERSIZE_MAX (static-only API)
  std::array<std::byte, kMaxFrameHeader> header_{};
  size_t header_len_ = 0;
  uint64_t frame_plain_ = 0;
};

}  // namespace zb::codec
