#include "store/chunked_upload.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

namespace zb::store {
namespace {

// Generous bound for an event that should come at once; only a broken
// implementation waits it out.
constexpr auto kEventually = std::chrono::seconds(120);

std::string Text(ByteSpan b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// What the sends saw, from several threads.
class Recorder {
 public:
  void Started(int number, ByteSpan chunk) {
    std::lock_guard lock(mu_);
    chunks_[number] = Text(chunk);
    buffers_.insert(chunk.data());
    ++running_;
    max_running_ = std::max(max_running_, running_);
    cv_.notify_all();
  }
  void Finished(bool failed) {
    std::lock_guard lock(mu_);
    --running_;
    failed_ |= failed;
    cv_.notify_all();
  }
  // Waits until `n` sends have run at once; false if that never happens.
  bool AwaitRunning(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kEventually, [&] { return max_running_ >= n; });
  }
  bool AwaitStarted(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kEventually, [&] { return chunks_.count(n) != 0; });
  }
  bool AwaitFailure() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kEventually, [&] { return failed_; });
  }
  std::map<int, std::string> chunks() {
    std::lock_guard lock(mu_);
    return chunks_;
  }
  int max_running() {
    std::lock_guard lock(mu_);
    return max_running_;
  }
  size_t buffers() {
    std::lock_guard lock(mu_);
    return buffers_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, std::string> chunks_;
  std::set<const std::byte*> buffers_;
  int running_ = 0;
  int max_running_ = 0;
  bool failed_ = false;
};

// The first chunk, read as the backends read it before deciding on a
// chunked upload.
std::vector<std::byte> First(ByteSource& src, size_t size) {
  std::vector<std::byte> first(size);
  EXPECT_EQ(*ReadFull(src, first), size);
  return first;
}

TEST(ChunkedUploadTest, SendsChunksInParallelAndReturnsTokensInOrder) {
  const std::string data = "aaaabbbbccccddddeeeeffffggg";  // 6 full chunks and 3 bytes
  StringSource src(data);
  std::vector<std::byte> first = First(src, 4);
  Recorder rec;
  const ChunkPlan plan{.size = 4, .parallel = 3};
  auto r = SendInChunks(src, first, plan, "put x", [&](int n, ByteSpan chunk) {
    rec.Started(n, chunk);
    // The first three finish only once all three run: proof they overlap.
    const bool overlapped = n > 3 || rec.AwaitRunning(3);
    rec.Finished(false);
    return Result<std::string>(overlapped ? "t" + std::to_string(n) : "serial");
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (std::vector<std::string>{"t1", "t2", "t3", "t4", "t5", "t6", "t7"}));
  EXPECT_EQ(rec.chunks(), (std::map<int, std::string>{{1, "aaaa"},
                                                      {2, "bbbb"},
                                                      {3, "cccc"},
                                                      {4, "dddd"},
                                                      {5, "eeee"},
                                                      {6, "ffff"},
                                                      {7, "ggg"}}));
  EXPECT_EQ(rec.max_running(), 3);
  EXPECT_LE(rec.buffers(), 4u) << "parallel + 1 buffers, however many chunks";
}

TEST(ChunkedUploadTest, OneAtATimeWhenParallelIsOne) {
  StringSource src("aabbccd");
  std::vector<std::byte> first = First(src, 2);
  Recorder rec;
  auto r = SendInChunks(src, first, {.size = 2, .parallel = 1}, "put x", [&](int n, ByteSpan c) {
    rec.Started(n, c);
    rec.Finished(false);
    return Result<std::string>(Text(c));
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (std::vector<std::string>{"aa", "bb", "cc", "d"}));
  EXPECT_EQ(rec.max_running(), 1);
  EXPECT_LE(rec.buffers(), 2u);
}

TEST(ChunkedUploadTest, AnExactMultipleEndsWithoutAnEmptyChunk) {
  StringSource src("aabbcc");
  std::vector<std::byte> first = First(src, 2);
  auto r = SendInChunks(src, first, {.size = 2, .parallel = 2}, "put x",
                        [&](int, ByteSpan c) { return Result<std::string>(Text(c)); });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (std::vector<std::string>{"aa", "bb", "cc"}));
}

TEST(ChunkedUploadTest, ChunksGrowOnPlan) {
  StringSource src(std::string(4 + 4 + 8 + 8 + 8 + 3, 'x'));
  std::vector<std::byte> first = First(src, 4);
  auto r = SendInChunks(
      src, first, {.size = 4, .grow_every = 2, .max_doublings = 1, .parallel = 2}, "put x",
      [&](int, ByteSpan c) { return Result<std::string>(std::to_string(c.size())); });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (std::vector<std::string>{"4", "4", "8", "8", "8", "3"}));
}

// The oldest chunk fails while two newer ones are in flight: the next
// chunk would need its buffer, so nothing starts after it.
TEST(ChunkedUploadTest, NoChunkStartsAfterTheOldestFails) {
  StringSource src(std::string(40, 'x'));
  std::vector<std::byte> first = First(src, 4);
  Recorder rec;
  auto r = SendInChunks(src, first, {.size = 4, .parallel = 3}, "put x",
                        [&](int n, ByteSpan c) -> Result<std::string> {
                          rec.Started(n, c);
                          if (n == 1) {
                            EXPECT_TRUE(rec.AwaitStarted(3));
                            rec.Finished(true);
                            return Status::IOError("part 1 refused");
                          }
                          rec.Finished(false);
                          return std::string("ok");
                        });
  EXPECT_EQ(r.status().ToString(), Status::IOError("part 1 refused").ToString());
  std::set<int> started;
  for (const auto& [n, chunk] : rec.chunks()) started.insert(n);
  EXPECT_EQ(started, (std::set<int>{1, 2, 3}));
}

// A newer chunk fails while the oldest is still in flight. The failure is
// known once its send returns, which no test can wait for from inside the
// send; what holds whatever the scheduling: the newer chunk's error is the
// one returned, and at most the two chunks launched before its result is
// collected start after it, never the rest of the source.
TEST(ChunkedUploadTest, NoChunkStartsAfterAFailureEvenBehindAnOlderOne) {
  StringSource src(std::string(40, 'x'));
  std::vector<std::byte> first = First(src, 4);
  Recorder rec;
  auto r = SendInChunks(src, first, {.size = 4, .parallel = 3}, "put x",
                        [&](int n, ByteSpan c) -> Result<std::string> {
                          rec.Started(n, c);
                          if (n == 3) {
                            rec.Finished(true);
                            return Status::IOError("part 3 refused");
                          }
                          // Chunk 1, the oldest, outlives chunk 3's failure.
                          if (n == 1) EXPECT_TRUE(rec.AwaitFailure());
                          rec.Finished(false);
                          return std::string("ok");
                        });
  EXPECT_EQ(r.status().ToString(), Status::IOError("part 3 refused").ToString());
  std::set<int> started;
  for (const auto& [n, chunk] : rec.chunks()) started.insert(n);
  EXPECT_TRUE(started.count(1) && started.count(2) && started.count(3));
  EXPECT_LE(*started.rbegin(), 5) << "of 10 chunks";
}

class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(size_t good) : good_(good) {}
  Result<size_t> Read(MutableByteSpan dst) override {
    if (good_ == 0) return Status::IOError("disk gone");
    const size_t n = std::min(dst.size(), good_);
    std::fill_n(dst.data(), n, std::byte{'x'});
    good_ -= n;
    return n;
  }
  Status Rewind() override { return Status::IOError("no rewind"); }

 private:
  size_t good_;
};

TEST(ChunkedUploadTest, ASourceErrorWaitsForTheChunksInFlight) {
  FailingSource src(10);
  std::vector<std::byte> first = First(src, 4);
  Recorder rec;
  auto r = SendInChunks(src, first, {.size = 4, .parallel = 4}, "put x", [&](int n, ByteSpan c) {
    rec.Started(n, c);
    rec.Finished(false);
    return Result<std::string>("ok");
  });
  EXPECT_EQ(r.status().ToString(), Status::IOError("disk gone").ToString());
  // Chunks 1 and 2 were whole and sent; the partial third never was.
  std::set<int> started;
  for (const auto& [n, chunk] : rec.chunks()) started.insert(n);
  EXPECT_EQ(started, (std::set<int>{1, 2}));
}

TEST(ChunkedUploadTest, TooManyChunksIsAnError) {
  StringSource src(std::string(9, 'x'));
  std::vector<std::byte> first = First(src, 2);
  auto r =
      SendInChunks(src, first, {.size = 2, .max_chunks = 3, .parallel = 2, .noun = "blocks"},
                   "s3://b/p: PUT big", [&](int, ByteSpan) { return Result<std::string>("ok"); });
  EXPECT_EQ(r.status().ToString(),
            Status::IOError("s3://b/p: PUT big: more than 3 blocks").ToString());
}

// A source that fails once a send has been refused: the refusal is what
// the caller hears (a wrong key says more than the disk error after it).
TEST(ChunkedUploadTest, ASendsErrorOutranksTheSourcesThatCameAfter) {
  std::mutex mu;
  std::condition_variable cv;
  bool refused = false;
  class AfterRefusal final : public ByteSource {
   public:
    AfterRefusal(std::mutex& mu, std::condition_variable& cv, bool& refused)
        : mu_(mu), cv_(cv), refused_(refused) {}
    Result<size_t> Read(MutableByteSpan) override {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, kEventually, [&] { return refused_; })) return size_t{0};
      return Status::IOError("disk gone");
    }
    Status Rewind() override { return Status::OK(); }

   private:
    std::mutex& mu_;
    std::condition_variable& cv_;
    bool& refused_;
  } src(mu, cv, refused);
  std::vector<std::byte> first(4, std::byte{'x'});
  auto r = SendInChunks(src, first, {.size = 4, .parallel = 2}, "put x",
                        [&](int, ByteSpan) -> Result<std::string> {
                          std::lock_guard lock(mu);
                          refused = true;
                          cv.notify_all();
                          return Status::IOError("403 AccessDenied");
                        });
  EXPECT_EQ(r.status().ToString(), Status::IOError("403 AccessDenied").ToString());
}

}  // namespace
}  // namespace zb::store
