#include "codec/zstd_sink.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "testutil/random_bytes.h"
#include "testutil/run.h"

namespace zb::codec {
namespace {

constexpr char kZstd[] = "/usr/bin/zstd";

using testing::RandomBytes;

// Text-like data that compresses well but is not one repeated block.
std::string Compressible(size_t n) {
  std::string s;
  s.reserve(n + 64);
  for (size_t i = 0; s.size() < n; ++i) {
    s += "bucket " + std::to_string(i % 977) + " key " + std::to_string(i) +
         " value the quick brown fox\n";
  }
  s.resize(n);
  return s;
}

// Writes `data` to `sink` in pieces whose sizes cycle through `chunks`.
Status WriteInChunks(ByteSink& sink, std::string_view data, const std::vector<size_t>& chunks) {
  size_t off = 0;
  for (size_t i = 0; off < data.size(); ++i) {
    const size_t n = std::min(chunks[i % chunks.size()], data.size() - off);
    ZB_RETURN_IF_ERROR(sink.Write(AsBytes(data.substr(off, n))));
    off += n;
  }
  return Status::OK();
}

const std::vector<size_t> kWhole = {SIZE_MAX};
const std::vector<size_t> kOdd = {1, 3, 4093, 65537, 7, 1 << 20, 131071};

std::string Compress(std::string_view plain, int level = 3,
                     const std::vector<size_t>& chunks = kWhole) {
  StringSink out;
  auto sink = ZstdCompressSink::Create(out, level);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  EXPECT_TRUE(WriteInChunks(**sink, plain, chunks).ok());
  EXPECT_TRUE((*sink)->Finish().ok());
  EXPECT_TRUE(out.finished());
  return out.data();
}

struct Decoded {
  Status status;
  std::string plain;
  bool finished = false;
  uint64_t frames = 0;
};

// Writes all of `stored` (in `chunks`), then finishes; the first error wins.
Decoded Decompress(std::string_view stored, const std::vector<size_t>& chunks = kWhole) {
  StringSink out;
  ZstdDecompressSink sink(out);
  Decoded d;
  d.status = WriteInChunks(sink, stored, chunks);
  if (d.status.ok()) d.status = sink.Finish();
  d.plain = out.data();
  d.finished = out.finished();
  d.frames = sink.frames();
  return d;
}

// ---- our compressor, our decompressor ----

TEST(ZstdSinkTest, RoundTripsEmptyInput) {
  const std::string stored = Compress("");
  // An empty input is still one complete frame: header, empty block, checksum.
  EXPECT_EQ(stored.size(), 13u);
  EXPECT_EQ(stored.substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4));
  Decoded d = Decompress(stored);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.plain, "");
  EXPECT_TRUE(d.finished);
  EXPECT_EQ(d.frames, 1u);
}

TEST(ZstdSinkTest, RoundTripsOneByte) {
  Decoded d = Decompress(Compress("x"));
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.plain, "x");
}

TEST(ZstdSinkTest, RoundTripsOneMiBOfRandomData) {
  const std::string plain = RandomBytes(1 << 20, 1);
  for (int level : {1, 3, 19}) {
    SCOPED_TRACE("level " + std::to_string(level));
    const std::string stored = Compress(plain, level, kOdd);
    // Random data does not compress; zstd stores it in raw blocks.
    EXPECT_GT(stored.size(), plain.size());
    EXPECT_LT(stored.size(), plain.size() + 1024);
    Decoded d = Decompress(stored, kOdd);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_TRUE(d.plain == plain);
    EXPECT_EQ(d.frames, 1u);
  }
}

TEST(ZstdSinkTest, RoundTripsEightMiBOfCompressibleDataInOddChunks) {
  const std::string plain = Compressible(8 << 20);
  const std::string stored = Compress(plain, 3, kOdd);
  EXPECT_LT(stored.size(), plain.size() / 5);
  Decoded d = Decompress(stored, kOdd);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.plain.size(), plain.size());
  EXPECT_TRUE(d.plain == plain);
  EXPECT_TRUE(d.finished);
}

TEST(ZstdSinkTest, DecompressesOneByteAtATime) {
  const std::string plain = Compressible(3 << 20);  // decodes to more than one output buffer
  Decoded d = Decompress(Compress(plain, 3), {1});
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_TRUE(d.plain == plain);
}

TEST(ZstdSinkTest, DecompressesConcatenatedFrames) {
  const std::string a = Compressible(200000), b = RandomBytes(70001, 5);
  Decoded d = Decompress(Compress(a, 1) + Compress(b, 19) + Compress("", 3), kOdd);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_TRUE(d.plain == a + b);
  EXPECT_EQ(d.frames, 3u);
}

TEST(ZstdSinkTest, AcceptsSkippableFrames) {
  // A skippable frame: magic 0x184D2A50, 4-byte little-endian length, payload.
  const std::string skippable = std::string("\x50\x2a\x4d\x18\x03\x00\x00\x00", 8) + "abc";
  Decoded d = Decompress(skippable + Compress("plain"));
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.plain, "plain");
  EXPECT_EQ(d.frames, 2u);
}

// ---- against the real zstd CLI ----

TEST(ZstdSinkTest, CliVerifiesAndDecompressesOurFrames) {
  testing::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"empty", ""},
      {"one", "x"},
      {"random", RandomBytes(1 << 20, 2)},
      {"text", Compressible(8 << 20)},
  };
  for (const auto& [name, plain] : inputs) {
    SCOPED_TRACE(name);
    const std::string path = dir / (name + ".zst");
    testing::WriteFileOrDie(path, Compress(plain, 3, kOdd));
    testing::RunResult t = testing::Run({kZstd, "-t", "-q", path});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    testing::RunResult d = testing::Run({kZstd, "-d", "-c", "-q", path});
    EXPECT_EQ(d.exit_code, 0) << d.err;
    EXPECT_EQ(d.out.size(), plain.size());
    EXPECT_TRUE(d.out == plain);
  }
}

TEST(ZstdSinkTest, CliSeesOurContentChecksum) {
  testing::TempDir dir;
  const std::string path = dir / "a.zst";
  testing::WriteFileOrDie(path, Compress("hello"));
  testing::RunResult r = testing::Run({kZstd, "-l", "-v", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Check: XXH64"), std::string::npos) << r.out;
}

TEST(ZstdSinkTest, DecompressesCliFrames) {
  testing::TempDir dir;
  const std::string plain = Compressible(5 << 20) + RandomBytes(300000, 3);
  const std::string path = dir / "plain";
  testing::WriteFileOrDie(path, plain);
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"-3"}, {"-12", "--no-check"}, {"-1", "--long=27"}}) {
    SCOPED_TRACE(flags[0]);
    std::vector<std::string> argv = {kZstd, "-c", "-q"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(path);
    testing::RunResult c = testing::Run(argv);
    ASSERT_EQ(c.exit_code, 0) << c.err;
    Decoded d = Decompress(c.out, kOdd);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_TRUE(d.plain == plain);
    EXPECT_EQ(d.frames, 1u);
  }
}

TEST(ZstdSinkTest, DecompressesACliFrameFollowedByOurs) {
  testing::TempDir dir;
  const std::string a = "first input\n", b = Compressible(100000);
  testing::WriteFileOrDie(dir / "a", a);
  testing::RunResult c = testing::Run({kZstd, "-3", "-c", "-q", dir / "a"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const std::string both = c.out + Compress(b);
  Decoded d = Decompress(both);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_TRUE(d.plain == a + b);
  EXPECT_EQ(d.frames, 2u);
  // The CLI agrees that the concatenation is one valid stream.
  testing::WriteFileOrDie(dir / "both.zst", both);
  testing::RunResult r = testing::Run({kZstd, "-d", "-c", "-q", dir / "both.zst"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out == a + b);
}

// ---- damage ----

TEST(ZstdSinkTest, FlippedByteIsCorruption) {
  const std::string stored = Compress(Compressible(1 << 20));
  ASSERT_GT(stored.size(), 1000u);
  // Our frame header is magic (4 bytes), descriptor, window: byte 6 starts the
  // first block header, and 0x02 there turns a compressed block into the
  // reserved block type.
  ASSERT_EQ(stored[4], '\x04');  // descriptor: checksum on, no size, no dictionary
  struct Case {
    size_t offset;
    char mask;
    std::string message;
  } cases[] = {
      {stored.size() / 2, 0x01,
       "zstd: Restored data doesn't match checksum (frame 1, which starts at input byte 0)"},
      {6, 0x02, "zstd: Data corruption detected (frame 1, which starts at input byte 0)"},
      {stored.size() - 2, 0x40,
       "zstd: Restored data doesn't match checksum (frame 1, which starts at input byte 0)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("offset " + std::to_string(c.offset));
    std::string damaged = stored;
    damaged[c.offset] ^= c.mask;
    Decoded d = Decompress(damaged, kOdd);
    EXPECT_EQ(d.status.code(), Code::kCorruption);
    EXPECT_EQ(d.status.message(), c.message);
    EXPECT_FALSE(d.finished);
  }
}

TEST(ZstdSinkTest, FlippedByteInRawDataIsCaughtByTheChecksum) {
  // Random data is stored in raw blocks, so only the content checksum sees a
  // flipped byte; this is why the compressor turns the checksum on.
  std::string stored = Compress(RandomBytes(100000, 4));
  stored[stored.size() / 2] ^= 0x01;
  Decoded d = Decompress(stored);
  EXPECT_EQ(d.status.code(), Code::kCorruption);
  EXPECT_EQ(d.status.message(),
            "zstd: Restored data doesn't match checksum (frame 1, which starts at input byte 0)");
  EXPECT_FALSE(d.finished);
  // The CLI agrees.
  testing::TempDir dir;
  testing::WriteFileOrDie(dir / "bad.zst", stored);
  testing::RunResult t = testing::Run({kZstd, "-t", "-q", dir / "bad.zst"});
  EXPECT_NE(t.exit_code, 0);
  EXPECT_NE(t.err.find("checksum"), std::string::npos) << t.err;
}

TEST(ZstdSinkTest, TruncatedFrameIsCorruption) {
  const std::string stored = Compress(Compressible(1 << 20));
  const size_t cut = stored.size() - 10;
  Decoded d = Decompress(stored.substr(0, cut));
  EXPECT_EQ(d.status.code(), Code::kCorruption);
  EXPECT_EQ(d.status.message(), "zstd: truncated frame (input ended at byte " +
                                    std::to_string(cut) +
                                    ", inside frame 1 which starts at byte 0)");
  EXPECT_FALSE(d.finished);

  // Cut inside the second of two frames.
  const std::string first = Compress("one");
  d = Decompress(first + Compress("two").substr(0, 6));
  EXPECT_EQ(d.status.code(), Code::kCorruption);
  EXPECT_EQ(d.status.message(), "zstd: truncated frame (input ended at byte " +
                                    std::to_string(first.size() + 6) + ", inside frame 2 which " +
                                    "starts at byte " + std::to_string(first.size()) + ")");
  EXPECT_EQ(d.plain, "one");
}

TEST(ZstdSinkTest, TrailingGarbageIsCorruption) {
  const std::string stored = Compress("payload");
  Decoded d = Decompress(stored + "garbage after the frame");
  EXPECT_EQ(d.status.code(), Code::kCorruption);
  EXPECT_EQ(d.status.message(), "zstd: trailing data after frame 1 at input byte " +
                                    std::to_string(stored.size()) +
                                    " is not a zstd frame (Unknown frame descriptor)");
  EXPECT_FALSE(d.finished);

  // Even one stray byte, written separately after the frame.
  d = Decompress(stored + "\n", {stored.size(), 1});
  EXPECT_EQ(d.status.code(), Code::kCorruption);
  EXPECT_EQ(d.status.message(), "zstd: trailing data after frame 1 at input byte " +
                                    std::to_string(stored.size()) +
                                    " is not a zstd frame (Unknown frame descriptor)");
}

TEST(ZstdSinkTest, InputThatIsNotZstdIsCorruption) {
  Decoded d = Decompress("this is plain text, not zstd");
  EXPECT_EQ(d.status.code(), Code::kCorruption);
  EXPECT_EQ(d.status.message(),
            "zstd: Unknown frame descriptor (frame 1, which starts at input byte 0)");
}

// Found by fuzz/stored_object: libzstd took these 10 bytes (the magic
// number of the v0.6 format, from before zstd 1.0) as a whole legacy frame
// of no content when written at once, and refused them byte by byte.
TEST(ZstdSinkTest, LegacyFramesAreNotZstdHoweverTheInputIsCut) {
  const std::string legacy("\x26\xb5\x2f\xfd\x84\x10\x00\xff\x00\x00", 10);
  for (const auto& chunks : {kWhole, std::vector<size_t>{1}, std::vector<size_t>{3}}) {
    Decoded d = Decompress(legacy, chunks);
    EXPECT_EQ(d.status.code(), Code::kCorruption);
    EXPECT_EQ(d.status.message(),
              "zstd: Unknown frame descriptor (frame 1, which starts at input byte 0)");
    EXPECT_EQ(d.frames, 0u);
  }
  const std::string stored = Compress("payload");
  for (const auto& chunks : {kWhole, std::vector<size_t>{1}, kOdd}) {
    Decoded d = Decompress(stored + legacy, chunks);
    EXPECT_EQ(d.status.message(), "zstd: trailing data after frame 1 at input byte " +
                                      std::to_string(stored.size()) +
                                      " is not a zstd frame (Unknown frame descriptor)");
  }
  // A skippable frame is still fine, its magic cut anywhere.
  const std::string skippable("\x5e\x2a\x4d\x18\x02\x00\x00\x00hi", 10);
  for (const auto& chunks : {kWhole, std::vector<size_t>{1}, std::vector<size_t>{2}}) {
    Decoded d = Decompress(skippable + stored, chunks);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(d.plain, "payload");
    EXPECT_EQ(d.frames, 2u);
  }
}

// Found by fuzz/stored_object: a frame whose header declares 8192 bytes of
// content and whose only block is empty was refused when written at once,
// but passed (0 bytes) when written byte by byte.
TEST(ZstdSinkTest, ADeclaredContentSizeIsCheckedHoweverTheInputIsCut) {
  const std::string lying("\x28\xb5\x2f\xfd\x60\x00\x1f\x01\x00\x00", 10);
  for (const auto& chunks : {kWhole, std::vector<size_t>{1}, std::vector<size_t>{7}}) {
    Decoded d = Decompress(lying, chunks);
    EXPECT_EQ(d.status.message(),
              "zstd: Data corruption detected (frame 1, which starts at input byte 0)");
    EXPECT_EQ(d.frames, 0u);
  }
  // Frames that declare their size (one-shot compression writes it, as the
  // zstd CLI does for a file) and keep it, in pieces too.
  auto one_shot = [](const std::string& plain) {
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 3));
    EXPECT_EQ(ZSTD_getFrameContentSize(out.data(), out.size()), plain.size());
    return out;
  };
  const std::string two = one_shot("one") + one_shot(std::string(300000, 'x'));
  for (const auto& chunks : {kWhole, std::vector<size_t>{1}, kOdd}) {
    Decoded d = Decompress(two, chunks);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(d.plain.size(), 300003u);
    EXPECT_EQ(d.frames, 2u);
  }
}

TEST(ZstdSinkTest, EmptyInputIsCorruption) {
  Decoded d = Decompress("");
  EXPECT_EQ(d.status.code(), Code::kCorruption);
  EXPECT_EQ(d.status.message(), "zstd: empty input (no frame)");
  EXPECT_FALSE(d.finished);
}

TEST(ZstdSinkTest, ErrorsAreSticky) {
  StringSink out;
  ZstdDecompressSink sink(out);
  Status first = sink.Write(AsBytes("nonsense"));
  EXPECT_EQ(first.code(), Code::kCorruption);
  const std::string good = Compress("fine");
  EXPECT_EQ(sink.Write(AsBytes(good)).message(), first.message());
  EXPECT_EQ(sink.Finish().message(), first.message());
  EXPECT_EQ(out.data(), "");
}

// "hello" in one streamed frame asking for a 2^window_log-byte window
// (streamed, so zstd cannot shrink the window to the unknown content size).
std::string FrameWithWindow(int window_log) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  EXPECT_FALSE(ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, window_log)));
  std::string frame(ZSTD_compressBound(5) + 64, '\0');
  ZSTD_outBuffer out{frame.data(), frame.size(), 0};
  ZSTD_inBuffer in{"hello", 5, 0};
  EXPECT_FALSE(ZSTD_isError(ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_continue)));
  EXPECT_EQ(ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_end), 0u);
  ZSTD_freeCCtx(cctx);
  frame.resize(out.pos);
  return frame;
}

TEST(ZstdSinkTest, RefusesAWindowAboveTheLimit) {
  // 32 MiB is the limit: 64 MiB (which zstd -d would allow) is refused.
  Decoded ok = Decompress(FrameWithWindow(ZstdDecompressSink::kMaxWindowLog));
  EXPECT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.plain, "hello");
  for (int window_log : {ZstdDecompressSink::kMaxWindowLog + 1, 28}) {
    Decoded d = Decompress(FrameWithWindow(window_log));
    EXPECT_EQ(d.status.code(), Code::kCorruption) << window_log;
    EXPECT_EQ(d.status.message(),
              "zstd: Frame requires too much memory for decoding (frame 1, which starts at input "
              "byte 0)");
  }
}

// ---- the compressor's contract ----

TEST(ZstdSinkTest, LevelOutOfRangeIsInvalidArgument) {
  StringSink out;
  for (int level : {0, 23, -1}) {
    auto r = ZstdCompressSink::Create(out, level);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.status().message(),
              "zstd: compression level " + std::to_string(level) + " is out of range 1..19");
  }
  EXPECT_TRUE(ZstdCompressSink::Create(out, 1).ok());
  EXPECT_TRUE(ZstdCompressSink::Create(out, 19).ok());
  EXPECT_EQ(out.data(), "");
}

TEST(ZstdSinkTest, WriteOrFinishAfterFinishIsAborted) {
  StringSink out;
  auto sink = ZstdCompressSink::Create(out, 3);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Finish().ok());
  EXPECT_EQ((*sink)->Write(AsBytes("x")).message(), "zstd: write after finish");
  EXPECT_EQ((*sink)->Finish().message(), "zstd: finish called twice");

  StringSink plain;
  ZstdDecompressSink d(plain);
  ASSERT_TRUE(d.Write(AsBytes(out.data())).ok());
  ASSERT_TRUE(d.Finish().ok());
  EXPECT_EQ(d.Write(AsBytes(out.data())).code(), Code::kAborted);
  EXPECT_EQ(d.Finish().message(), "zstd: finish called twice");
}

}  // namespace
}  // namespace zb::codec
