// S3Backend against a real Ceph RGW (the CTest fixture server_rgw_start):
// the backend conformance suite, multipart uploads, pagination past 1000
// objects, the server's errors, a connection cut mid-upload, leftovers
// cleaned, TLS, and the lease that locks the target.
#include "store/s3_backend.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "store/s3_lease.h"
#include "store/s3_xml.h"
#include "testutil/backend_conformance.h"
#include "testutil/cutting_proxy.h"
#include "testutil/random_bytes.h"
#include "testutil/servers.h"

namespace zb {
namespace {

using store::S3Backend;
using store::S3BackendOptions;
using store::S3Settings;
using testing::ServerEnv;

const ServerEnv& Rgw() {
  static const ServerEnv* env = new ServerEnv(ServerEnv::Load("rgw"));
  return *env;
}

Clock& SystemClock() {
  static Clock* clock = NewSystemClock().release();
  return *clock;
}

// A bucket name no other test uses.
std::string UniqueBucket() {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string s = "zb-";
  for (int i = 0; i < 16; ++i) s += kHex[rd() % 16];
  return s;
}

S3Settings Settings(const std::string& bucket, const std::string& endpoint_var = "S3_ENDPOINT") {
  S3Settings s = testing::RgwSettings(Rgw(), bucket, endpoint_var);
  s.prefix = "ziti/ctrl1";
  return s;
}

// Makes the bucket (the backend never creates one).
void CreateBucket(const S3Settings& s) {
  store::S3Requests r(s, SystemClock(), {});
  store::S3Call call{.method = "PUT"};
  auto made = r.Do(call);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->status, 200) << made->error_body;
}

// The multipart uploads still open in the bucket (any key).
std::vector<store::S3Upload> OpenUploads(const S3Settings& s) {
  store::S3Requests r(s, SystemClock(), {});
  std::string body;
  auto listed =
      r.Do({.method = "GET", .query = {{"uploads", ""}, {"encoding-type", "url"}}}, &body);
  EXPECT_TRUE(listed.ok() && listed->success());
  auto page = store::ParseListMultipartUploads(body, "test");
  EXPECT_TRUE(page.ok()) << page.status().ToString();
  return page.ok() ? page->uploads : std::vector<store::S3Upload>{};
}

std::unique_ptr<S3Backend> Open(const S3Settings& s, S3BackendOptions o = {}) {
  o.requests.retry.base = std::chrono::milliseconds(10);
  return std::make_unique<S3Backend>(s, SystemClock(), o);
}

struct RgwFactory {
  static std::unique_ptr<store::Backend> Make(testing::BackendTestContext&) {
    EXPECT_TRUE(Rgw().ok()) << Rgw().error();
    const S3Settings s = Settings(UniqueBucket());
    CreateBucket(s);
    return Open(s);
  }
};

}  // namespace

namespace testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Rgw, BackendConformanceTest, ::testing::Types<RgwFactory>);
}  // namespace testing

namespace {

class S3BackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Rgw().ok()) << Rgw().error();
    settings_ = Settings(UniqueBucket());
    CreateBucket(settings_);
  }
  Status Put(store::Backend& b, const std::string& name, const std::string& data) {
    StringSource src(data);
    return b.Put(name, src);
  }
  std::string Get(store::Backend& b, const std::string& name) {
    StringSink sink;
    Status s = b.Get(name, sink);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return sink.data();
  }
  std::vector<std::string> Names(store::Backend& b) {
    std::vector<std::string> out;
    auto list = b.List("");
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (list.ok()) {
      for (const auto& o : *list) out.push_back(o.name);
    }
    return out;
  }
  S3Settings settings_;
};

TEST_F(S3BackendTest, LargeObjectsGoUpInPartsAndComeBackWhole) {
  S3BackendOptions o;
  o.part_size = 5 << 20;  // S3's smallest part
  auto b = Open(settings_, o);
  const std::string data = testing::RandomBytes((12 << 20) + 17, 3);  // 3 parts
  ASSERT_TRUE(Put(*b, "big.db.zst", data).ok());
  EXPECT_EQ(Get(*b, "big.db.zst"), data);
  const std::string exact = testing::RandomBytes(5 << 20, 4);  // one full part, then the end
  ASSERT_TRUE(Put(*b, "exact.db", exact).ok());
  EXPECT_EQ(Get(*b, "exact.db"), exact);
  auto list = *b->List("");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "big.db.zst");
  EXPECT_EQ(list[0].size, data.size());
  EXPECT_TRUE(OpenUploads(settings_).empty());
}

TEST_F(S3BackendTest, ListingPagesPastAThousandObjectsAndHidesOthers) {
  auto b = Open(settings_);
  std::vector<std::string> want;
  for (int i = 0; i < 1003; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "ctrl-%05d.json", i);
    want.push_back(name);
    ASSERT_TRUE(Put(*b, name, "x").ok()) << name;
  }
  // Objects outside the target, below it, or dot-named are not its own.
  S3Settings other = settings_;
  other.prefix = "ziti";
  auto parent = Open(other);
  ASSERT_TRUE(Put(*parent, "ctrl1x", "not ours").ok());
  other.prefix = "ziti/ctrl1/deeper";
  ASSERT_TRUE(Put(*Open(other), "a.json", "not ours").ok());
  EXPECT_EQ(Names(*b), want);
  EXPECT_EQ(b->List("ctrl-0099")->size(), 10u);
}

TEST_F(S3BackendTest, AWrongSecretOrUnknownKeyIsTheServersErrorAndStoresNothing) {
  S3Settings wrong = settings_;
  wrong.credentials.secret_access_key = "wrong-secret-value-0123456789";
  Status s = Put(*Open(wrong), "a.json", "{}");
  EXPECT_EQ(s.code(), Code::kIOError);
  EXPECT_TRUE(s.message().starts_with(settings_.Describe() + ": PUT a.json: HTTP 403 "
                                                             "SignatureDoesNotMatch"))
      << s.message();
  EXPECT_EQ(s.message().find("wrong-secret-value"), std::string::npos);
  EXPECT_FALSE(s.retryable());

  S3Settings unknown = settings_;
  unknown.credentials.access_key_id = "AKIANOSUCHKEY0000000";
  s = Put(*Open(unknown), "a.json", "{}");
  EXPECT_TRUE(s.message().starts_with(settings_.Describe() + ": PUT a.json: HTTP 403 "
                                                             "InvalidAccessKeyId"))
      << s.message();
  EXPECT_EQ(Names(*Open(settings_)), std::vector<std::string>{});
}

TEST_F(S3BackendTest, AMissingBucketIsNamed) {
  S3Settings missing = settings_;
  missing.bucket = UniqueBucket();
  auto list = Open(missing)->List("");
  EXPECT_EQ(list.status().code(), Code::kNotFound);
  EXPECT_EQ(list.status().message(), "s3://" + missing.bucket + "/ziti/ctrl1: GET bucket " +
                                         missing.bucket + ": bucket \"" + missing.bucket +
                                         "\" does not exist at " + net::HostPort(missing.endpoint) +
                                         " (create it first; ziti-backup does not create buckets)");
}

// The proxy's port as the endpoint: requests go through it.
S3Settings ThroughProxy(S3Settings s, const testing::CuttingProxy& proxy) {
  s.endpoint.port = static_cast<uint16_t>(proxy.port());
  return s;
}

TEST_F(S3BackendTest, AConnectionCutMidUploadIsRetriedAndTheObjectIsWhole) {
  testing::CuttingProxy proxy(settings_.endpoint.host, settings_.endpoint.port);
  S3BackendOptions o;
  o.part_size = 5 << 20;
  auto b = Open(ThroughProxy(settings_, proxy), o);
  const std::string data = testing::RandomBytes((11 << 20) + 5, 8);
  proxy.CutAfter(7 << 20, /*refuse=*/1);  // in the second part
  ASSERT_TRUE(Put(*b, "snap.db.zst", data).ok());
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_EQ(Get(*Open(settings_), "snap.db.zst"), data);
  EXPECT_TRUE(OpenUploads(settings_).empty());
}

TEST_F(S3BackendTest, AServerGoneMidUploadLeavesNothingVisibleAndTheNextRunCleansUp) {
  testing::CuttingProxy proxy(settings_.endpoint.host, settings_.endpoint.port);
  S3BackendOptions o;
  o.part_size = 5 << 20;
  o.requests.retry.max_attempts = 3;
  auto b = Open(ThroughProxy(settings_, proxy), o);
  proxy.CutAfter(7 << 20, /*refuse=*/1000);  // and it never comes back
  Status s = Put(*b, "snap.db.zst", testing::RandomBytes(11 << 20, 9));
  EXPECT_EQ(s.code(), Code::kIOError) << s.ToString();
  EXPECT_TRUE(s.retryable());
  auto direct = Open(settings_);
  EXPECT_EQ(Names(*direct), std::vector<std::string>{});
  // The abort could not get through either: the upload is left over...
  ASSERT_EQ(OpenUploads(settings_).size(), 1u);
  // ...until a later run removes what is older than its cut-off.
  EXPECT_EQ(*direct->RemoveStaleTemporaries(SystemClock().Now() - std::chrono::hours(1)), 0u);
  EXPECT_EQ(*direct->RemoveStaleTemporaries(SystemClock().Now() + std::chrono::hours(1)), 1u);
  EXPECT_TRUE(OpenUploads(settings_).empty());
}

TEST_F(S3BackendTest, ABrokenDownloadResumesWhereItStopped) {
  auto direct = Open(settings_);
  const std::string data = testing::RandomBytes(6 << 20, 10);
  ASSERT_TRUE(Put(*direct, "d.db", data).ok());
  testing::CuttingProxy proxy(settings_.endpoint.host, settings_.endpoint.port);
  auto b = Open(ThroughProxy(settings_, proxy));
  proxy.CutAfter(3 << 20, /*refuse=*/0, testing::CuttingProxy::Count::kToClient);
  StringSink sink;
  Status s = b->Get("d.db", sink);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sink.data(), data);
  EXPECT_EQ(proxy.cuts(), 1);
}

TEST_F(S3BackendTest, HttpsWithTheCaBundleAndNotWithout) {
  S3Settings tls = Settings(settings_.bucket, "S3_TLS_ENDPOINT");
  tls.endpoint.ca_bundle = Rgw().Get("S3_CA_BUNDLE");
  auto b = Open(tls);
  ASSERT_TRUE(Put(*b, "t.json", "over tls").ok());
  EXPECT_EQ(Get(*b, "t.json"), "over tls");
  tls.endpoint.ca_bundle = "";
  auto untrusted = Open(tls)->List("");
  EXPECT_EQ(untrusted.status().code(), Code::kIOError);
  EXPECT_NE(untrusted.status().message().find("certificate"), std::string::npos)
      << untrusted.status().message();
}

TEST_F(S3BackendTest, TheLeaseLetsOneWriterInAndFreesOnRelease) {
  S3BackendOptions o;
  o.owner = "host-a pid 1";
  auto a = Open(settings_, o);
  o.owner = "host-b pid 2";
  auto b = Open(settings_, o);
  auto held = a->TryLock();
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  auto busy = b->TryLock();
  EXPECT_EQ(busy.status().code(), Code::kBusy);
  EXPECT_TRUE(
      busy.status().message().starts_with(settings_.Describe() + " is locked by host-a pid 1 "))
      << busy.status().message();
  EXPECT_NE(busy.status().message().find("another ziti-backup is writing there"),
            std::string::npos);
  EXPECT_EQ(Names(*a), std::vector<std::string>{}) << "the lease is not an object of the target";
  held->reset();
  auto taken = b->TryLock();
  EXPECT_TRUE(taken.ok()) << taken.status().ToString();
}

TEST_F(S3BackendTest, TheHolderRenewsItsLeaseSoItNeverExpires) {
  S3BackendOptions o;
  o.lease_ttl = std::chrono::seconds(3);  // renewed every second
  auto a = Open(settings_, o);
  auto held = a->TryLock();
  ASSERT_TRUE(held.ok());
  store::S3Requests raw(settings_, SystemClock(), {});
  auto etag = [&] {
    auto r = raw.Do({.method = "HEAD", .key = settings_.Key(store::kLeaseName)});
    return r.ok() ? r->Header("ETag").value_or("") : "";
  };
  // Three renewals seen (each writes a new renewal time, so a new ETag).
  std::set<std::string> seen = {etag()};
  for (int i = 0; i < 1200 && seen.size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen.insert(etag());
  }
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen.count(""), 0u) << "the lease was never missing";
  EXPECT_TRUE(Put(*a, "still-mine.json", "{}").ok());
  EXPECT_EQ(Open(settings_)->TryLock().status().code(), Code::kBusy);
  held->reset();
  EXPECT_TRUE(Open(settings_)->TryLock().ok()) << "released";
}

TEST_F(S3BackendTest, AnExpiredLeaseIsTakenOverAndItsHolderStopsWriting) {
  S3BackendOptions o;
  o.lease_ttl = std::chrono::seconds(2);  // renewed every second
  o.owner = "stalled";
  auto a = Open(settings_, o);
  auto held = a->TryLock();
  ASSERT_TRUE(held.ok());
  // Someone rewrites the lease as if "a" had stalled and it had expired
  // and been taken: a's next renewal finds it is no longer its own.
  store::S3Requests raw(settings_, SystemClock(), {});
  const std::string text = R"({"owner":"usurper","ttl_seconds":2})";
  auto put =
      raw.Do({.method = "PUT",
              .key = settings_.Key(store::kLeaseName),
              .body = ByteSpan(reinterpret_cast<const std::byte*>(text.data()), text.size())});
  ASSERT_TRUE(put.ok() && put->success());
  Status s;
  for (int i = 0; i < 600; ++i) {  // the heartbeat notices within a second or two
    s = Put(*a, "late.json", "{}");
    if (!s.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(s.code(), Code::kBusy);
  EXPECT_EQ(s.message(), settings_.Describe() +
                             ": another ziti-backup took over this run's lease (it stalled for "
                             "longer than the lease time); nothing more is written");
  held->reset();  // does not delete the usurper's lease
  o.owner = "next";
  auto next = Open(settings_, o);
  auto busy = next->TryLock();
  EXPECT_EQ(busy.status().code(), Code::kBusy) << "usurper's lease is live";
  // Once it is older than its 2 s (by the server's clock), it is free.
  Result<std::unique_ptr<store::TargetLock>> took = busy.status();
  for (int i = 0; i < 600 && !took.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    took = next->TryLock();
  }
  EXPECT_TRUE(took.ok()) << took.status().ToString();
}

}  // namespace
}  // namespace zb
