#include "base/byte_pipe.h"

#include <gtest/gtest.h>

#include <thread>

namespace zb {
namespace {

ByteSpan Bytes(const std::string& s) {
  return ByteSpan(reinterpret_cast<const std::byte*>(s.data()), s.size());
}

// Reads `src` to its end (or error) in reads of `step` bytes.
Result<std::string> Drain(ByteSource& src, size_t step) {
  std::string out;
  std::vector<std::byte> buf(step);
  for (;;) {
    ZB_ASSIGN_OR_RETURN(size_t n, src.Read(buf));
    if (n == 0) return out;
    out.append(reinterpret_cast<const char*>(buf.data()), n);
  }
}

std::string Pattern(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + i * 7 % 26));
  return s;
}

TEST(BytePipeTest, CarriesEveryByteInOrderThroughASmallRing) {
  const std::string data = Pattern(10007);
  BytePipe pipe(7);  // far smaller than the writes: every one waits and wraps
  std::thread writer([&] {
    for (size_t at = 0; at < data.size(); at += 13) {
      ASSERT_TRUE(pipe.sink().Write(Bytes(data.substr(at, 13))).ok());
    }
    pipe.Close(Status::OK());
  });
  auto got = Drain(pipe.source(), 5);
  writer.join();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, data);
}

TEST(BytePipeTest, TheReaderGetsTheBytesThenTheWritersError) {
  BytePipe pipe(64);
  ASSERT_TRUE(pipe.sink().Write(Bytes("hello")).ok());
  pipe.Close(Status::Corruption("x.db does not match its manifest"));
  pipe.Close(Status::OK());  // the first close counts
  std::vector<std::byte> buf(16);
  auto n = pipe.source().Read(buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 5u);
  auto end = pipe.source().Read(buf);
  EXPECT_EQ(end.status().ToString(),
            Status::Corruption("x.db does not match its manifest").ToString());
}

TEST(BytePipeTest, AnEmptyStreamEndsAtOnce) {
  BytePipe pipe(64);
  pipe.Close(Status::OK());
  auto got = Drain(pipe.source(), 8);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "");
}

TEST(BytePipeTest, AbandoningReleasesAWriterWaitingForRoom) {
  BytePipe pipe(4);
  Status wrote;
  std::thread writer([&] { wrote = pipe.sink().Write(Bytes("more than four bytes")); });
  std::vector<std::byte> buf(2);
  ASSERT_EQ(*pipe.source().Read(buf), 2u);  // the writer is surely in
  pipe.Abandon();
  writer.join();
  EXPECT_EQ(wrote.code(), Code::kAborted);
  EXPECT_EQ(pipe.sink().Write(Bytes("x")).code(), Code::kAborted);
}

TEST(BytePipeTest, RewindsOnlyBeforeTheFirstRead) {
  BytePipe pipe(64);
  EXPECT_TRUE(pipe.source().Rewind().ok());
  ASSERT_TRUE(pipe.sink().Write(Bytes("abc")).ok());
  EXPECT_TRUE(pipe.source().Rewind().ok());
  std::vector<std::byte> buf(1);
  ASSERT_EQ(*pipe.source().Read(buf), 1u);
  EXPECT_EQ(pipe.source().Rewind().code(), Code::kAborted);
}

}  // namespace
}  // namespace zb
