#include "snapshot/hot_source.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "bolt/file.h"
#include "env/env_wrapper.h"
#include "snapshot/write_snapshot.h"
#include "testutil/fake_clock.h"
#include "testutil/run.h"

namespace zb::snapshot {
namespace {

using namespace std::chrono_literals;

// A DB whose writer commits while the hot copy runs, scripted so that the
// test decides what every attempt sees: the file shows version 0 until the
// first bulk read of an attempt (64 KiB at offset 0; meta reads are one
// page), then version 1, and so on until the versions run out. Consecutive
// versions are several commits apart, so each attempt but the last sees a
// missed commit. Each switch also moves the fake clock by 100 ms, the time
// the writer took, so the commit rates reported are exact.
struct Script {
  std::vector<std::unique_ptr<RandomAccessFile>> versions;
  size_t now = 0;
  testing::FakeClock* clock = nullptr;
};

class ScriptedFile final : public RandomAccessFile {
 public:
  ScriptedFile(Script& script, std::string path) : script_(script), path_(std::move(path)) {}
  Result<size_t> ReadAt(uint64_t offset, MutableByteSpan dst) override {
    auto n = script_.versions[script_.now]->ReadAt(offset, dst);
    if (offset == 0 && dst.size() > 2 * 4096 && script_.now + 1 < script_.versions.size()) {
      ++script_.now;
      script_.clock->Advance(100ms);
    }
    return n;
  }
  Result<uint64_t> Size() override { return script_.versions[script_.now]->Size(); }
  const std::string& path() const override { return path_; }

 private:
  Script& script_;
  std::string path_;
};

// Serves `db` from the script; the Env's default CopyRange reads through it.
class ScriptedEnv final : public EnvWrapper {
 public:
  ScriptedEnv(Env& base, Script& script, std::string db)
      : EnvWrapper(base), script_(script), db_(std::move(db)) {}
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override {
    if (path != db_) return base().OpenForRead(path);
    return std::unique_ptr<RandomAccessFile>(new ScriptedFile(script_, db_));
  }
  // The default copy, through ReadAt: the scripted file has no descriptor.
  Result<uint64_t> CopyRange(RandomAccessFile& src, uint64_t src_off, WritableFile& dst,
                             uint64_t dst_off, uint64_t len) override {
    return Env::CopyRange(src, src_off, dst, dst_off, len);
  }

 private:
  Script& script_;
  std::string db_;
};

class HotSourceRetryTest : public ::testing::Test {
 protected:
  // Version 0 from `boltgen gen`; each next one is the previous plus
  // `kGaps[i]` commits of the real bbolt writer.
  static constexpr uint64_t kGaps[] = {2, 5, 3};

  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", dir_ / "v0.db", "--size", "1MiB", "--seed", "3"})
                  .exit_code,
              0);
    for (size_t i = 1; i <= std::size(kGaps); ++i) {
      const std::string prev = dir_ / ("v" + std::to_string(i - 1) + ".db");
      const std::string next = dir_ / ("v" + std::to_string(i) + ".db");
      std::filesystem::copy_file(prev, next);
      auto w = testing::RunBoltgen({"writer", "--db", next, "--rate", "0", "--commits",
                                    std::to_string(kGaps[i - 1]), "--log", dir_ / "w.log"});
      ASSERT_EQ(w.exit_code, 0) << w.err;
    }
    for (size_t i = 0; i <= std::size(kGaps); ++i) {
      auto f = real_->OpenForRead(dir_ / ("v" + std::to_string(i) + ".db"));
      ASSERT_TRUE(f.ok()) << f.status().ToString();
      script_.versions.push_back(std::move(f).value());
      auto file = bolt::BoltFile::Open(*script_.versions.back());
      ASSERT_TRUE(file.ok());
      txids_.push_back(file->ReadLatestMeta()->meta.txid);
      if (i > 0) {
        ASSERT_EQ(txids_[i] - txids_[i - 1], kGaps[i - 1]);
      }
    }
    script_.clock = &clock_;
  }

  // The hot snapshot of the scripted DB into OUT, with every retry recorded.
  Result<WriteResult> Take(int max_attempts) {
    HotOptions options;
    options.max_attempts = max_attempts;
    options.on_retry = [&](const RetryInfo& r) { retries_.push_back(r); };
    HotSource source(env_, clock_, db_, options);
    return WriteSnapshot(*real_, clock_, source, out_, WriteOptions{},
                         [](const std::string&, const bolt::Meta&) { return Status::OK(); });
  }

  std::string Missed(size_t from) const {
    return "missed a commit: txid went from " + std::to_string(txids_[from]) + " to " +
           std::to_string(txids_[from + 1]) + " between two looks";
  }

  testing::TempDir dir_;
  std::unique_ptr<Env> real_ = NewPosixEnv();
  testing::FakeClock clock_;
  Script script_;
  std::string db_ = dir_ / "ctrl-ha.db", out_ = dir_ / "out.db";
  ScriptedEnv env_{*real_, script_, db_};
  std::vector<uint64_t> txids_;
  std::vector<RetryInfo> retries_;
};

// Three attempts see a missed commit, the fourth a quiet writer: one retry
// report per failed attempt, in order, with the commits the writer made
// since the previous look and their rate, and attempts = 1 + retries.
TEST_F(HotSourceRetryTest, EachRetryIsReportedWithTheWritersCommitRate) {
  auto r = Take(30);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->image.attempts, 4);
  EXPECT_EQ(r->image.meta.txid, txids_.back());
  ASSERT_EQ(retries_.size(), 3u);
  // The first look is at the start; later windows include the backoff
  // slept before the attempt (20 ms doubling) and the 100 ms each switch.
  const double window[] = {0.100, 0.120, 0.140};
  const std::chrono::milliseconds backoff[] = {20ms, 40ms, 80ms};
  for (size_t i = 0; i < retries_.size(); ++i) {
    SCOPED_TRACE("retry " + std::to_string(i + 1));
    EXPECT_EQ(retries_[i].attempt, static_cast<int>(i + 1));
    EXPECT_EQ(retries_[i].why.code(), Code::kAborted);
    EXPECT_TRUE(retries_[i].why.retryable());
    EXPECT_EQ(retries_[i].why.message(), Missed(i));
    EXPECT_EQ(retries_[i].commits, kGaps[i]);
    EXPECT_DOUBLE_EQ(retries_[i].commits_per_second, kGaps[i] / window[i]);
    EXPECT_EQ(retries_[i].backoff, backoff[i]);
  }
  // The copy is the last version exactly, by bbolt's own reading.
  auto snap = testing::PeerCheckFile(out_);
  auto last = testing::PeerCheckFile(dir_ / ("v" + std::to_string(std::size(kGaps)) + ".db"));
  EXPECT_EQ(snap.exit_code, 0) << snap.raw;
  EXPECT_EQ(snap.txid, last.txid);
  EXPECT_EQ(snap.digest, last.digest);
}

// The last attempt is not retried, so it is not reported; the error says
// how many attempts were made and the rate over the whole snapshot.
TEST_F(HotSourceRetryTest, GivingUpReportsOnlyTheRetriesMade) {
  auto r = Take(2);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(retries_.size(), 1u);
  EXPECT_EQ(retries_[0].attempt, 1);
  // 7 commits in 100 + 20 + 100 ms.
  EXPECT_EQ(r.status().message(), "hot snapshot of " + db_ +
                                      " gave up after 2 attempts in 220ms; the writer committed "
                                      "about 32 transactions/s while we copied; last attempt: " +
                                      Missed(1) +
                                      ". Use --method agent (ask the controller) or cold (stop "
                                      "it)");
  EXPECT_FALSE(std::filesystem::exists(out_));
}

}  // namespace
}  // namespace zb::snapshot
