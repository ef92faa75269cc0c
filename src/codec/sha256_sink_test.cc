#include "codec/sha256_sink.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "testutil/random_bytes.h"

namespace zb::codec {
namespace {

constexpr char kEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

using testing::RandomBytes;

std::string HashOf(std::string_view data) {
  Sha256Sink sink(nullptr);
  EXPECT_TRUE(sink.Write(AsBytes(data)).ok());
  EXPECT_TRUE(sink.Finish().ok());
  return sink.hex();
}

// A sink whose writes fail, to see errors pass back through a stage.
class FailingSink final : public ByteSink {
 public:
  Status Write(ByteSpan) override { return Status::IOError("disk full", /*retryable=*/true); }
  Status Finish() override { return Status::IOError("finish failed"); }
};

TEST(Sha256SinkTest, KnownVectors) {
  EXPECT_EQ(HashOf(""), kEmpty);
  EXPECT_EQ(HashOf("abc"), kAbc);
  EXPECT_EQ(HashOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(HashOf(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256SinkTest, NothingWrittenIsTheEmptyDigest) {
  Sha256Sink sink(nullptr);
  EXPECT_EQ(sink.hex(), "");  // not finished yet
  ASSERT_TRUE(sink.Finish().ok());
  EXPECT_EQ(sink.hex(), kEmpty);
  EXPECT_EQ(sink.bytes(), 0u);
}

TEST(Sha256SinkTest, ManySmallWritesGiveTheSameDigestAsOne) {
  const std::string data = RandomBytes((1 << 20) + 13, 42);
  const std::string whole = HashOf(data);
  ASSERT_EQ(whole.size(), 64u);
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}, size_t{65537}}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    Sha256Sink sink(nullptr);
    for (size_t off = 0; off < data.size(); off += chunk) {
      ASSERT_TRUE(sink.Write(AsBytes(std::string_view(data).substr(off, chunk))).ok());
    }
    ASSERT_TRUE(sink.Write({}).ok());  // an empty write changes nothing
    ASSERT_TRUE(sink.Finish().ok());
    EXPECT_EQ(sink.hex(), whole);
    EXPECT_EQ(sink.bytes(), data.size());
  }
}

TEST(Sha256SinkTest, ForwardsBytesUnchangedAndFinishesNext) {
  const std::string data = RandomBytes(100003, 7);
  StringSink next;
  Sha256Sink sink(&next);
  for (size_t off = 0; off < data.size(); off += 999) {
    ASSERT_TRUE(sink.Write(AsBytes(std::string_view(data).substr(off, 999))).ok());
  }
  EXPECT_FALSE(next.finished());
  ASSERT_TRUE(sink.Finish().ok());
  EXPECT_TRUE(next.finished());
  EXPECT_EQ(next.data(), data);
  EXPECT_EQ(sink.hex(), HashOf(data));
  EXPECT_EQ(sink.bytes(), 100003u);
}

TEST(Sha256SinkTest, Sha256HexReadsTheSourceToTheEnd) {
  StringSource abc("abc");
  auto r = Sha256Hex(abc);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, kAbc);
  // The source is not rewound: what is left of it is nothing.
  auto rest = Sha256Hex(abc);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*rest, kEmpty);
  ASSERT_TRUE(abc.Rewind().ok());
  EXPECT_EQ(*Sha256Hex(abc), kAbc);

  StringSource big(RandomBytes(300000, 9));  // more than one Pump buffer
  EXPECT_EQ(*Sha256Hex(big), HashOf(RandomBytes(300000, 9)));
}

TEST(Sha256SinkTest, ErrorsFromNextAreReturnedAndSticky) {
  FailingSink next;
  Sha256Sink sink(&next);
  Status s = sink.Write(AsBytes("abc"));
  EXPECT_EQ(s.code(), Code::kIOError);
  EXPECT_EQ(s.message(), "disk full");
  EXPECT_TRUE(s.retryable());
  EXPECT_EQ(sink.Finish().message(), "disk full");
  EXPECT_EQ(sink.hex(), "");

  Sha256Sink finish_fails(&next);
  s = finish_fails.Finish();
  EXPECT_EQ(s.code(), Code::kIOError);
  EXPECT_EQ(s.message(), "finish failed");
  EXPECT_EQ(finish_fails.hex(), "");  // no digest for a stream that did not finish
}

TEST(Sha256SinkTest, WriteOrFinishAfterFinishIsAborted) {
  Sha256Sink sink(nullptr);
  ASSERT_TRUE(sink.Write(AsBytes("abc")).ok());
  ASSERT_TRUE(sink.Finish().ok());
  Status s = sink.Write(AsBytes("d"));
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(s.message(), "sha256: write after finish");
  s = sink.Finish();
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(s.message(), "sha256: finish called twice");
  EXPECT_EQ(sink.hex(), kAbc);  // the digest stands
  EXPECT_EQ(sink.bytes(), 3u);
}

}  // namespace
}  // namespace zb::codec
