// The conformance suite every store::Backend passes (restic's backend test
// suite, litestream's RunWithReplicaClient): atomic put, replace, missing
// objects, sorted and prefix-filtered listing, idempotent delete, invalid
// names, and a put that fails half-way and then succeeds after a rewind.
//
// An implementation's test provides a factory and instantiates the suite:
//   struct LocalFactory {
//     static std::unique_ptr<store::Backend> Make(BackendTestContext& ctx);
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Local, BackendConformanceTest,
//                                  ::testing::Types<LocalFactory>);
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>

#include "env/env.h"
#include "store/backend.h"
#include "testutil/fake_clock.h"
#include "testutil/random_bytes.h"
#include "testutil/run.h"

namespace zb::testing {

struct BackendTestContext {
  TempDir dir;
  FakeClock clock;
  std::unique_ptr<Env> env = NewPosixEnv();
};

// Yields `data`, but fails with a retryable I/O error after `fail_after`
// bytes the first time through; after Rewind() it yields everything.
class FlakySource final : public ByteSource {
 public:
  FlakySource(std::string data, size_t fail_after)
      : data_(std::move(data)), fail_after_(fail_after) {}
  Result<size_t> Read(MutableByteSpan dst) override {
    if (!failed_ && pos_ >= fail_after_) {
      failed_ = true;
      return Status::IOError("connection reset (injected)", /*retryable=*/true);
    }
    size_t n = std::min(dst.size(), data_.size() - pos_);
    if (!failed_) n = std::min(n, fail_after_ - pos_);
    std::copy_n(reinterpret_cast<const std::byte*>(data_.data()) + pos_, n, dst.data());
    pos_ += n;
    return n;
  }
  Status Rewind() override {
    pos_ = 0;
    return Status::OK();
  }

 private:
  std::string data_;
  size_t fail_after_;
  size_t pos_ = 0;
  bool failed_ = false;
};

template <class Factory>
class BackendConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override { backend_ = Factory::Make(ctx_); }
  Status Put(const std::string& name, const std::string& data) {
    StringSource src(data);
    return backend_->Put(name, src);
  }
  Result<std::string> Get(const std::string& name) {
    StringSink sink;
    ZB_RETURN_IF_ERROR(backend_->Get(name, sink));
    return sink.data();
  }
  std::vector<std::string> Names(const std::string& prefix = "") {
    std::vector<std::string> names;
    auto list = backend_->List(prefix);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (list.ok()) {
      for (const auto& o : *list) names.push_back(o.name);
    }
    return names;
  }
  BackendTestContext ctx_;
  std::unique_ptr<store::Backend> backend_;
};

TYPED_TEST_SUITE_P(BackendConformanceTest);

TYPED_TEST_P(BackendConformanceTest, PutThenGetReturnsTheSameBytes) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{65536}, size_t{3 << 20} + 17}) {
    const std::string name = "obj-" + std::to_string(size);
    const std::string data = RandomBytes(size, size);
    ASSERT_TRUE(this->Put(name, data).ok());
    auto got = this->Get(name);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, data) << name;
  }
}

TYPED_TEST_P(BackendConformanceTest, PutReplacesAnExistingObject) {
  ASSERT_TRUE(this->Put("a.json", "old contents").ok());
  ASSERT_TRUE(this->Put("a.json", "new").ok());
  EXPECT_EQ(*this->Get("a.json"), "new");
  EXPECT_EQ(this->Names(), std::vector<std::string>{"a.json"});
}

TYPED_TEST_P(BackendConformanceTest, MissingObjectIsNotFoundNamingIt) {
  auto got = this->Get("nope.db");
  EXPECT_EQ(got.status().code(), Code::kNotFound);
  EXPECT_EQ(got.status().message(), this->backend_->Describe() + ": no object nope.db");
}

TYPED_TEST_P(BackendConformanceTest, ListIsSortedFilteredAndSized) {
  EXPECT_EQ(this->Names(), std::vector<std::string>{});
  for (const char* n : {"ctrl-20260102T000000Z.json", "ctrl-20260101T000000Z.db.zst",
                        "ctrl-20260101T000000Z.json", "other-1.db"}) {
    ASSERT_TRUE(this->Put(n, std::string(n)).ok());
  }
  EXPECT_EQ(this->Names("ctrl-"),
            (std::vector<std::string>{"ctrl-20260101T000000Z.db.zst", "ctrl-20260101T000000Z.json",
                                      "ctrl-20260102T000000Z.json"}));
  auto all = *this->backend_->List("");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].name, "other-1.db");
  EXPECT_EQ(all[3].size, 10u);
}

TYPED_TEST_P(BackendConformanceTest, DeleteIsIdempotent) {
  ASSERT_TRUE(this->Put("x.db", "x").ok());
  EXPECT_TRUE(this->backend_->Delete("x.db").ok());
  EXPECT_TRUE(this->backend_->Delete("x.db").ok());
  EXPECT_EQ(this->Get("x.db").status().code(), Code::kNotFound);
  EXPECT_EQ(this->Names(), std::vector<std::string>{});
}

TYPED_TEST_P(BackendConformanceTest, FailedPutLeavesNothingAndARetryAfterRewindWorks) {
  const std::string data = RandomBytes(200000, 7);
  FlakySource flaky(data, 100000);
  Status first = this->backend_->Put("snap.db.zst", flaky);
  EXPECT_EQ(first.code(), Code::kIOError);
  EXPECT_TRUE(first.retryable());
  EXPECT_EQ(this->Names(), std::vector<std::string>{}) << "no partial object";
  EXPECT_EQ(this->Get("snap.db.zst").status().code(), Code::kNotFound);
  ASSERT_TRUE(this->backend_->Put("snap.db.zst", flaky).ok());
  EXPECT_EQ(*this->Get("snap.db.zst"), data);
}

TYPED_TEST_P(BackendConformanceTest, InvalidNamesAreRefused) {
  for (const char* n : {"", ".hidden", "a/b", "../x", "sp ace"}) {
    Status s = this->Put(n, "x");
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << n;
  }
  EXPECT_EQ(this->Put("a/b", "x").message(),
            "invalid object name \"a/b\": only letters, digits, '.', '_' and '-' are allowed");
  EXPECT_EQ(this->Names(), std::vector<std::string>{});
}

TYPED_TEST_P(BackendConformanceTest, ModificationTimeIsRecorded) {
  const TimePoint before = this->ctx_.clock.Now() - std::chrono::hours(1);
  ASSERT_TRUE(this->Put("t.json", "{}").ok());
  auto list = *this->backend_->List("t.");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_GT(list[0].modified, before);
}

REGISTER_TYPED_TEST_SUITE_P(BackendConformanceTest, PutThenGetReturnsTheSameBytes,
                            PutReplacesAnExistingObject, MissingObjectIsNotFoundNamingIt,
                            ListIsSortedFilteredAndSized, DeleteIsIdempotent,
                            FailedPutLeavesNothingAndARetryAfterRewindWorks, InvalidNamesAreRefused,
                            ModificationTimeIsRecorded);

}  // namespace zb::testing
