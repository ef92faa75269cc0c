#include "codec/zstd_sink.h"

#include <zstd_errors.h>

#include <string>

namespace zb::codec {

// ---- compression ----

Result<std::unique_ptr<ZstdCompressSink>> ZstdCompressSink::Create(ByteSink& next, int level,
                                                                   int workers) {
  if (level < kMinLevel || level > kMaxLevel) {
    return Status::InvalidArgument("zstd: compression level " + std::to_string(level) +
                                   " is out of range " + std::to_string(kMinLevel) + ".." +
                                   std::to_string(kMaxLevel));
  }
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> ctx(ZSTD_createCCtx());
  if (ctx == nullptr) return Status::Aborted("zstd: cannot allocate a compression context");
  for (auto [param, value] :
       {std::pair{ZSTD_c_compressionLevel, level}, std::pair{ZSTD_c_checksumFlag, 1}}) {
    const size_t ret = ZSTD_CCtx_setParameter(ctx.get(), param, value);
    if (ZSTD_isError(ret)) {
      return Status::Aborted(std::string("zstd: cannot set a compression parameter: ") +
                             ZSTD_getErrorName(ret));
    }
  }
  // From level 10 up, zstd's own tables (level 19: an 8 MiB window and
  // 64 MiB of chain table per worker) took a backup to 233 MiB RSS and made
  // each job seconds long, which a stop has to wait for. Capping them keeps
  // every level within the lower levels' memory at +0.14% size (measured on
  // a 64 MiB DB); levels below 10 never exceed these caps.
  if (level >= 10) {
    for (auto [param, value] : {std::pair{ZSTD_c_windowLog, 22}, std::pair{ZSTD_c_chainLog, 21},
                                std::pair{ZSTD_c_hashLog, 20}}) {
      (void)ZSTD_CCtx_setParameter(ctx.get(), param, value);
    }
  }
  if (workers > 0) {
    // An error here means a library without threads: one thread it is.
    if (!ZSTD_isError(ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_nbWorkers, workers))) {
      // Jobs of 2 MiB keep each worker's buffers small: the default let a
      // 1 GiB backup peak at 65 MiB RSS, 2 MiB jobs at 26 MiB (measured).
      // A job cannot be shorter than its overlap with the one before, which
      // is the whole window at the high levels: an eighth of it, at most.
      (void)ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_jobSize, 2 << 20);
      (void)ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_overlapLog, 6);
    }
  }
  return std::unique_ptr<ZstdCompressSink>(new ZstdCompressSink(next, std::move(ctx)));
}

ZstdCompressSink::ZstdCompressSink(ByteSink& next, std::unique_ptr<ZSTD_CCtx, CCtxDeleter> ctx)
    : next_(next), ctx_(std::move(ctx)), out_(ZSTD_CStreamOutSize()) {}

Status ZstdCompressSink::Fail(Status s) {
  error_ = std::move(s);
  return error_;
}

Status ZstdCompressSink::Write(ByteSpan data) {
  if (!error_.ok()) return error_;
  if (finished_) return Status::Aborted("zstd: write after finish");
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    const size_t ret = ZSTD_compressStream2(ctx_.get(), &out, &in, ZSTD_e_continue);
    if (ZSTD_isError(ret)) {
      return Fail(
          Status::Aborted(std::string("zstd: compression failed: ") + ZSTD_getErrorName(ret)));
    }
    if (out.pos > 0) {
      Status s = next_.Write(ByteSpan(out_.data(), out.pos));
      if (!s.ok()) return Fail(std::move(s));
    }
  }
  return Status::OK();
}

Status ZstdCompressSink::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return Status::Aborted("zstd: finish called twice");
  finished_ = true;
  ZSTD_inBuffer in{nullptr, 0, 0};
  size_t remaining = 0;
  do {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    remaining = ZSTD_compressStream2(ctx_.get(), &out, &in, ZSTD_e_end);
    if (ZSTD_isError(remaining)) {
      return Fail(Status::Aborted(std::string("zstd: ending the frame failed: ") +
                                  ZSTD_getErrorName(remaining)));
    }
    if (out.pos > 0) {
      Status s = next_.Write(ByteSpan(out_.data(), out.pos));
      if (!s.ok()) return Fail(std::move(s));
    }
  } while (remaining != 0);
  Status s = next_.Finish();
  if (!s.ok()) return Fail(std::move(s));
  return Status::OK();
}

// ---- decompression ----

ZstdDecompressSink::ZstdDecompressSink(ByteSink& next)
    : next_(next), ctx_(ZSTD_createDCtx()), out_(ZSTD_DStreamOutSize()) {
  // A constructor cannot return a Status, so a failed set-up is kept and
  // returned by the first Write or Finish.
  if (ctx_ == nullptr) {
    error_ = Status::Aborted("zstd: cannot allocate a decompression context");
    return;
  }
  const size_t ret = ZSTD_DCtx_setParameter(ctx_.get(), ZSTD_d_windowLogMax, kMaxWindowLog);
  if (ZSTD_isError(ret)) {
    error_ = Status::Aborted(std::string("zstd: cannot set the window limit: ") +
                             ZSTD_getErrorName(ret));
  }
}

namespace {

// Whether `b` may be byte `i` (0..3) of a frame's magic number, whose byte
// 0 was `first`: zstd's 0xFD2FB528 or a skippable frame's 0x184D2A5?,
// little-endian. libzstd also decodes legacy frames (formats v0.5 to v0.7,
// before zstd 1.0), which nothing has written since 2016, through older
// decoders whose outcome even depended on where the input was cut (found
// by fuzz/stored_object); a stored object never holds one.
bool MagicByteOk(size_t i, uint8_t b, uint8_t first) {
  constexpr uint8_t kZstd[] = {0x28, 0xb5, 0x2f, 0xfd};
  constexpr uint8_t kSkippable[] = {0x50, 0x2a, 0x4d, 0x18};
  if (i == 0) return b == kZstd[0] || (b & 0xf0) == kSkippable[0];
  return first == kZstd[0] ? b == kZstd[i] : b == kSkippable[i];
}

}  // namespace

Status ZstdDecompressSink::Fail(Status s) {
  error_ = std::move(s);
  return error_;
}

Status ZstdDecompressSink::DecodeError(size_t ret) const {
  const std::string name = ZSTD_getErrorName(ret);
  // Bytes after a complete frame that do not start another frame: the
  // decoder sees them as a frame with an unknown magic number.
  if (ZSTD_getErrorCode(ret) == ZSTD_error_prefix_unknown && frames_ > 0) {
    return Status::Corruption("zstd: trailing data after frame " + std::to_string(frames_) +
                              " at input byte " + std::to_string(frame_start_) +
                              " is not a zstd frame (" + name + ")");
  }
  return Status::Corruption("zstd: " + name + " (frame " + std::to_string(frames_ + 1) +
                            ", which starts at input byte " + std::to_string(frame_start_) + ")");
}

Status ZstdDecompressSink::Write(ByteSpan data) {
  if (!error_.ok()) return error_;
  if (finished_) return Status::Aborted("zstd: write after finish");
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  // A full output buffer may mean zstd holds more decoded bytes, so call it
  // again even when all input is taken.
  bool output_pending = false;
  while (in.pos < in.size || output_pending) {
    // The next bytes zstd takes may be (the rest of) a frame's magic number.
    for (size_t k = in.pos; magic_len_ < 4 && k < in.size; ++k, ++magic_len_) {
      const auto b = std::to_integer<uint8_t>(data[k]);
      if (magic_len_ == 0) magic_first_ = b;
      if (!MagicByteOk(magic_len_, b, magic_first_)) {
        return Fail(DecodeError(static_cast<size_t>(-ZSTD_error_prefix_unknown)));
      }
    }
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    const size_t before = in.pos;
    const size_t ret = ZSTD_decompressStream(ctx_.get(), &out, &in);
    consumed_ += in.pos - before;
    if (ZSTD_isError(ret)) return Fail(DecodeError(ret));
    for (size_t k = before; header_len_ < header_.size() && k < in.pos; ++k) {
      header_[header_len_++] = data[k];
    }
    frame_plain_ += out.pos;
    if (out.pos > 0) {
      Status s = next_.Write(ByteSpan(out_.data(), out.pos));
      if (!s.ok()) return Fail(std::move(s));
    }
    // 0: a frame ended and all its bytes were flushed; the next input byte
    // starts a new frame (concatenated frames are legal zstd).
    if (ret == 0) {
      // libzstd 1.5.4 checks a frame's declared content size when it gets
      // the frame whole, but not when the frame ends in an empty last
      // block fed in pieces: a frame declaring 8 KiB and holding nothing
      // passed byte by byte (found by fuzz/stored_object).
      const unsigned long long declared = ZSTD_getFrameContentSize(header_.data(), header_len_);
      if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
          declared != frame_plain_) {
        return Fail(DecodeError(static_cast<size_t>(-ZSTD_error_corruption_detected)));
      }
      header_len_ = 0;
      frame_plain_ = 0;
      ++frames_;
      frame_start_ = consumed_;
      in_frame_ = false;
      magic_len_ = 0;
    } else {
      in_frame_ = true;
    }
    output_pending = ret != 0 && out.pos == out.size;
  }
  return Status::OK();
}

Status ZstdDecompressSink::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return Status::Aborted("zstd: finish called twice");
  finished_ = true;
  if (in_frame_) {
    return Fail(Status::Corruption("zstd: truncated frame (input ended at byte " +
                                   std::to_string(consumed_) + ", inside frame " +
                                   std::to_string(frames_ + 1) + " which starts at byte " +
                                   std::to_string(frame_start_) + ")"));
  }
  if (frames_ == 0) return Fail(Status::Corruption("zstd: empty input (no frame)"));
  Status s = next_.Finish();
  if (!s.ok()) return Fail(std::move(s));
  return Status::OK();
}

}  // namespace zb::codec
