// AzureBackend against a real Azurite (the CTest fixture
// server_azurite_start): the backend conformance suite, staged blocks,
// pagination past 1000 blobs, a wrong key, a SAS token, a missing
// container, a connection cut mid-upload, a broken download, TLS, and the
// lease that locks the target.
#include "store/azure_backend.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "store/azure_lease.h"
#include "store/azure_xml.h"
#include "store/http_text.h"
#include "store/signing_crypto.h"
#include "testutil/backend_conformance.h"
#include "testutil/cutting_proxy.h"
#include "testutil/random_bytes.h"
#include "testutil/servers.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Occurrences;

using store::AzureBackend;
using store::AzureBackendOptions;
using store::AzureSettings;
using testing::ServerEnv;

const ServerEnv& Azurite() {
  static const ServerEnv* env = new ServerEnv(ServerEnv::Load("azurite"));
  return *env;
}

Clock& SystemClock() {
  static Clock* clock = NewSystemClock().release();
  return *clock;
}

// A container name no other test uses.
std::string UniqueContainer() {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string s = "zb-";
  for (int i = 0; i < 16; ++i) s += kHex[rd() % 16];
  return s;
}

// The settings of "azblob://<account>/<container>/ziti/ctrl1" on the
// fixture's endpoint, resolved as the product resolves them, with the key.
AzureSettings Settings(const std::string& container,
                       const std::string& endpoint_var = "AZURE_BLOB_ENDPOINT") {
  auto url =
      store::ParseTargetUrl("azblob://" + Azurite().Get("AZURE_STORAGE_ACCOUNT") + "/" + container +
                            "/ziti/ctrl1?endpoint=" + Azurite().Get(endpoint_var));
  EXPECT_TRUE(url.ok()) << url.status().ToString();
  const std::string key = Azurite().Get("AZURE_STORAGE_KEY");
  auto s = store::ResolveAzureSettings(*url,
                                       {[&](const std::string& name) -> std::optional<std::string> {
                                         if (name == "AZURE_STORAGE_KEY") return key;
                                         return std::nullopt;
                                       }});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : AzureSettings{};
}

// Makes the container (the backend never creates one), signed by our own
// Shared Key signer.
void CreateContainer(const AzureSettings& s) {
  store::AzureRequests r(s, SystemClock(), {});
  auto made = r.Do(store::AzureCall{.method = "PUT", .query = {{"restype", "container"}}});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->status, 201) << made->error_body;
}

std::unique_ptr<AzureBackend> Open(const AzureSettings& s, AzureBackendOptions o = {}) {
  o.requests.retry.base = std::chrono::milliseconds(10);
  return std::make_unique<AzureBackend>(s, SystemClock(), o);
}

struct AzuriteFactory {
  static std::unique_ptr<store::Backend> Make(testing::BackendTestContext&) {
    EXPECT_TRUE(Azurite().ok()) << Azurite().error();
    const AzureSettings s = Settings(UniqueContainer());
    CreateContainer(s);
    return Open(s);
  }
};

}  // namespace

namespace testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Azurite, BackendConformanceTest, ::testing::Types<AzuriteFactory>);
}  // namespace testing

namespace {

// An account SAS signed with the account key, as Microsoft's "Create an
// account SAS" describes it for version 2020-12-06 and later: the string to
// sign is the account, sp, ss, srt, st, se, sip, spr, sv and ses, each
// followed by a newline; sig is base64(HMAC-SHA256(key, that)).
std::string AccountSas(const std::string& permissions) {
  const std::string account = Azurite().Get("AZURE_STORAGE_ACCOUNT");
  const std::string expiry = "2099-01-01T00:00:00Z";
  const std::string version = "2021-08-06";
  const std::string sts =
      account + "\n" + permissions + "\nb\nco\n\n" + expiry + "\n\n\n" + version + "\n\n";
  const std::string key = *store::DecodeBase64(Azurite().Get("AZURE_STORAGE_KEY"));
  const store::Sha256Digest mac = store::HmacSha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key.data()), key.size()), sts);
  return "sv=" + version + "&ss=b&srt=co&sp=" + permissions + "&se=" + expiry +
         "&sig=" + store::UriEncode(store::EncodeBase64(mac), true);
}

class AzureBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Azurite().ok()) << Azurite().error();
    settings_ = Settings(UniqueContainer());
    CreateContainer(settings_);
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
  // The committed block list of a blob, as the service reports it.
  std::string BlockList(const std::string& name) {
    store::AzureRequests raw(settings_, SystemClock(), {});
    std::string body;
    auto r = raw.Do({.blob = settings_.BlobName(name), .query = {{"comp", "blocklist"}}}, &body);
    EXPECT_TRUE(r.ok() && r->success());
    return body;
  }
  AzureSettings settings_;
};

TEST_F(AzureBackendTest, LargeObjectsGoUpInBlocksAndComeBackWhole) {
  AzureBackendOptions o;
  o.block_size = 1 << 20;
  auto b = Open(settings_, o);
  const std::string data = testing::RandomBytes((3 << 20) + (1 << 19) + 17, 3);  // 4 blocks
  ASSERT_TRUE(Put(*b, "big.db.zst", data).ok());
  EXPECT_EQ(Get(*b, "big.db.zst"), data);
  EXPECT_EQ(Occurrences(BlockList("big.db.zst"), "<Block>"), 4u) << BlockList("big.db.zst");
  const std::string exact = testing::RandomBytes(1 << 20, 4);  // one full block, then the end
  ASSERT_TRUE(Put(*b, "exact.db", exact).ok());
  EXPECT_EQ(Get(*b, "exact.db"), exact);
  EXPECT_EQ(Occurrences(BlockList("exact.db"), "<Block>"), 1u);
  const std::string small = testing::RandomBytes((1 << 20) - 1, 5);  // one Put Blob
  ASSERT_TRUE(Put(*b, "small.db", small).ok());
  EXPECT_EQ(Get(*b, "small.db"), small);
  EXPECT_EQ(Occurrences(BlockList("small.db"), "<Block>"), 0u);
  // Replacing a staged blob by a smaller one leaves only the new one.
  ASSERT_TRUE(Put(*b, "big.db.zst", "now small").ok());
  EXPECT_EQ(Get(*b, "big.db.zst"), "now small");
  auto list = *b->List("");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].name, "big.db.zst");
  EXPECT_EQ(list[0].size, 9u);
  EXPECT_EQ(list[1].name, "exact.db");
  EXPECT_EQ(list[1].size, exact.size());
}

TEST_F(AzureBackendTest, ListingPagesPastAThousandBlobsAndHidesOthers) {
  AzureBackendOptions o;
  o.list_page_size = 1000;  // Azurite's default page is 5000
  auto b = Open(settings_, o);
  std::vector<std::string> want;
  for (int i = 0; i < 1003; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "ctrl-%05d.json", i);
    want.push_back(name);
    ASSERT_TRUE(Put(*b, name, "x").ok()) << name;
  }
  // Blobs outside the target, below it, or dot-named are not its own.
  AzureSettings other = settings_;
  other.prefix = "ziti";
  ASSERT_TRUE(Put(*Open(other), "ctrl1x", "not ours").ok());
  other.prefix = "ziti/ctrl1/deeper";
  ASSERT_TRUE(Put(*Open(other), "a.json", "not ours").ok());
  auto lock = b->TryLock();  // .ziti-backup.lease, while it is held
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  EXPECT_EQ(Names(*b), want);
  EXPECT_EQ(b->List("ctrl-0099")->size(), 10u);
  // The service did page: the first page ends with a marker.
  store::AzureRequests raw(settings_, SystemClock(), {});
  std::string body;
  auto first = raw.Do({.query = {{"restype", "container"},
                                 {"comp", "list"},
                                 {"prefix", settings_.BlobName("")},
                                 {"delimiter", "/"},
                                 {"maxresults", "1000"}}},
                      &body, 16 << 20);
  ASSERT_TRUE(first.ok() && first->success());
  auto page = store::ParseListBlobs(body, "first page");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_LE(page->blobs.size(), 1000u);
  EXPECT_NE(page->next_marker, "");
  // Small pages: the same names through a hundred pages and more.
  o.list_page_size = 10;
  EXPECT_EQ(Names(*Open(settings_, o)), want);
}

TEST_F(AzureBackendTest, AWrongKeyIsTheServersErrorAndStoresNothing) {
  AzureSettings wrong = settings_;
  wrong.key = "d3Jvbmcta2V5LXZhbHVlLTAxMjM0NTY3ODk=";  // "wrong-key-value-0123456789"
  Status s = Put(*Open(wrong), "a.json", "{}");
  EXPECT_EQ(s.code(), Code::kIOError);
  // Azurite's code for a bad Shared Key signature (Azure's own is
  // AuthenticationFailed).
  EXPECT_TRUE(s.message().starts_with(settings_.Describe() +
                                      ": PUT a.json: HTTP 403 AuthorizationFailure: "))
      << s.message();
  EXPECT_EQ(s.message().find(wrong.key), std::string::npos);
  EXPECT_FALSE(s.retryable());
  auto list = Open(wrong)->List("");
  EXPECT_TRUE(list.status().message().starts_with(settings_.Describe() + ": GET container " +
                                                  settings_.container + ": HTTP 403 "))
      << list.status().message();
  EXPECT_EQ(Names(*Open(settings_)), std::vector<std::string>{});
}

TEST_F(AzureBackendTest, ASasTokenWorksAndItsPermissionsHold) {
  AzureSettings sas = settings_;
  sas.key.clear();
  sas.sas_token = AccountSas("rwdlac");
  auto b = Open(sas);
  const std::string big = testing::RandomBytes((2 << 20) + 3, 6);
  AzureBackendOptions o;
  o.block_size = 1 << 20;
  ASSERT_TRUE(Put(*Open(sas, o), "big.db", big).ok());  // blocks and the commit
  ASSERT_TRUE(Put(*b, "a.json", "by sas").ok());
  EXPECT_EQ(Get(*b, "a.json"), "by sas");
  EXPECT_EQ(Get(*b, "big.db"), big);
  EXPECT_EQ(Names(*b), (std::vector<std::string>{"a.json", "big.db"}));
  ASSERT_TRUE(b->Delete("a.json").ok());
  auto lock = b->TryLock();
  EXPECT_TRUE(lock.ok()) << lock.status().ToString();
  lock->reset();
  EXPECT_EQ(Names(*Open(settings_)), std::vector<std::string>{"big.db"});

  // Read and list only: a write is refused, and the error holds no part of
  // the token.
  sas.sas_token = AccountSas("rl");
  Status s = Put(*Open(sas), "b.json", "x");
  EXPECT_EQ(s.code(), Code::kIOError);
  EXPECT_TRUE(s.message().starts_with(settings_.Describe() + ": PUT b.json: HTTP 403 "))
      << s.message();
  EXPECT_EQ(s.message().find("sig="), std::string::npos) << s.message();
  EXPECT_EQ(Names(*Open(sas)), std::vector<std::string>{"big.db"});
}

// What every Put relies on: the service checks each body against the
// Content-MD5 sent with it, so bytes damaged on the way are refused.
TEST_F(AzureBackendTest, TheServiceRefusesABodyThatDoesNotMatchItsContentMd5) {
  store::AzureRequests raw(settings_, SystemClock(), {});
  const std::string sent = "damaged on the way";
  for (const auto& query : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {}, {{"comp", "block"}, {"blockid", "QUFBQQ=="}}}) {
    store::AzureCall call{
        .method = "PUT",
        .name = "m.json",
        .blob = settings_.BlobName("m.json"),
        .query = query,
        .headers = {{"x-ms-blob-type", "BlockBlob"},
                    {"Content-MD5", store::Md5Base64("what was meant")}},
        .body = ByteSpan(reinterpret_cast<const std::byte*>(sent.data()), sent.size())};
    auto r = raw.Do(call);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    Status s = raw.Failure(call, *r);
    EXPECT_TRUE(s.message().starts_with(settings_.Describe() +
                                        ": PUT m.json: HTTP 400 Md5Mismatch: The MD5 value "
                                        "specified in the request did not match with the MD5 "
                                        "value calculated by the server. (request id "))
        << s.message();
  }
  EXPECT_EQ(Names(*Open(settings_)), std::vector<std::string>{});
}

TEST_F(AzureBackendTest, AMissingContainerIsNamed) {
  AzureSettings missing = settings_;
  missing.container = UniqueContainer();
  const std::string where = "azblob://devstoreaccount1/" + missing.container + "/ziti/ctrl1: ";
  const std::string why = ": container \"" + missing.container +
                          "\" does not exist in account \"devstoreaccount1\" at " +
                          net::HostPort(missing.endpoint) +
                          " (create it first; ziti-backup does not create containers)";
  auto list = Open(missing)->List("");
  EXPECT_EQ(list.status().code(), Code::kNotFound);
  EXPECT_EQ(list.status().message(), where + "GET container " + missing.container + why);
  Status put = Put(*Open(missing), "a.json", "{}");
  EXPECT_EQ(put.code(), Code::kNotFound);
  EXPECT_EQ(put.message(), where + "PUT a.json" + why);
  StringSink sink;
  Status get = Open(missing)->Get("a.json", sink);
  EXPECT_EQ(get.code(), Code::kNotFound);
  EXPECT_EQ(get.message(), where + "GET a.json" + why);
}

// The proxy's port as the endpoint: requests go through it.
AzureSettings ThroughProxy(AzureSettings s, const testing::CuttingProxy& proxy) {
  s.endpoint.port = static_cast<uint16_t>(proxy.port());
  return s;
}

TEST_F(AzureBackendTest, AConnectionCutMidUploadIsRetriedAndTheObjectIsWhole) {
  testing::CuttingProxy proxy(settings_.endpoint.host, settings_.endpoint.port);
  AzureBackendOptions o;
  o.block_size = 1 << 20;
  auto b = Open(ThroughProxy(settings_, proxy), o);
  const std::string data = testing::RandomBytes((3 << 20) + 5, 8);
  proxy.CutAfter((1 << 20) + (1 << 19), /*refuse=*/1);  // in the second block
  ASSERT_TRUE(Put(*b, "snap.db.zst", data).ok());
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_EQ(Get(*Open(settings_), "snap.db.zst"), data);
  EXPECT_EQ(Occurrences(BlockList("snap.db.zst"), "<Block>"), 4u);
}

TEST_F(AzureBackendTest, AServerGoneMidUploadLeavesNothingVisible) {
  testing::CuttingProxy proxy(settings_.endpoint.host, settings_.endpoint.port);
  AzureBackendOptions o;
  o.block_size = 1 << 20;
  o.requests.retry.max_attempts = 3;
  auto b = Open(ThroughProxy(settings_, proxy), o);
  proxy.CutAfter((1 << 20) + (1 << 19), /*refuse=*/1000);  // and it never comes back
  Status s = Put(*b, "snap.db.zst", testing::RandomBytes(3 << 20, 9));
  EXPECT_EQ(s.code(), Code::kIOError) << s.ToString();
  EXPECT_TRUE(s.retryable());
  auto direct = Open(settings_);
  EXPECT_EQ(Names(*direct), std::vector<std::string>{});
  StringSink sink;
  EXPECT_EQ(direct->Get("snap.db.zst", sink).code(), Code::kNotFound);
  // The staged blocks are the service's to discard.
  EXPECT_EQ(*direct->RemoveStaleTemporaries(SystemClock().Now() + std::chrono::hours(1)), 0u);
}

TEST_F(AzureBackendTest, ABrokenDownloadResumesWhereItStopped) {
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

TEST_F(AzureBackendTest, HttpsWithTheCaBundleAndNotWithout) {
  // The TLS Azurite is a store of its own: its container is made there.
  AzureSettings tls = Settings(settings_.container, "AZURE_BLOB_TLS_ENDPOINT");
  tls.endpoint.ca_bundle = Azurite().Get("AZURE_CA_BUNDLE");
  CreateContainer(tls);
  auto b = Open(tls);
  ASSERT_TRUE(Put(*b, "t.json", "over tls").ok());
  EXPECT_EQ(Get(*b, "t.json"), "over tls");
  tls.endpoint.ca_bundle = "";
  auto untrusted = Open(tls)->List("");
  EXPECT_EQ(untrusted.status().code(), Code::kIOError);
  EXPECT_NE(untrusted.status().message().find("certificate"), std::string::npos)
      << untrusted.status().message();
}

TEST_F(AzureBackendTest, TheLeaseLetsOneWriterInAndFreesOnRelease) {
  AzureBackendOptions o;
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

TEST_F(AzureBackendTest, TheHolderRenewsItsLeaseSoItNeverExpires) {
  AzureBackendOptions o;
  o.lease_ttl = std::chrono::seconds(3);  // renewed every second
  auto a = Open(settings_, o);
  auto held = a->TryLock();
  ASSERT_TRUE(held.ok());
  store::AzureRequests raw(settings_, SystemClock(), {});
  auto etag = [&] {
    auto r = raw.Do({.method = "HEAD", .blob = settings_.BlobName(store::kLeaseName)});
    return r.ok() && r->success() ? r->Header("ETag").value_or("") : "";
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

TEST_F(AzureBackendTest, AnExpiredLeaseIsTakenOverAndItsHolderStopsWriting) {
  AzureBackendOptions o;
  o.lease_ttl = std::chrono::seconds(2);  // renewed every second
  o.owner = "stalled";
  auto a = Open(settings_, o);
  auto held = a->TryLock();
  ASSERT_TRUE(held.ok());
  // Someone rewrites the lease as if "a" had stalled and it had expired
  // and been taken: a's next renewal finds it is no longer its own.
  store::AzureRequests raw(settings_, SystemClock(), {});
  const std::string text = R"({"owner":"usurper","ttl_seconds":2})";
  auto put =
      raw.Do({.method = "PUT",
              .blob = settings_.BlobName(store::kLeaseName),
              .headers = {{"x-ms-blob-type", "BlockBlob"}},
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
  EXPECT_EQ(a->Delete("late.json").code(), Code::kBusy);
  held->reset();  // does not delete the usurper's lease
  o.owner = "next";
  auto next = Open(settings_, o);
  auto busy = next->TryLock();
  EXPECT_EQ(busy.status().code(), Code::kBusy) << "usurper's lease is live";
  EXPECT_TRUE(busy.status().message().starts_with(settings_.Describe() + " is locked by usurper "))
      << busy.status().message();
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
